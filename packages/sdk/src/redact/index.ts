/**
 * @vigil/sdk/redact: PII redaction shared by the SDK and the server's ingest.
 * Dependency-free; the only call that throws is createRedactor (bad options,
 * TypeError naming the option and the value it got).
 *
 *   const redactor = createRedactor({ extraFieldNames: ['pin'] });
 *   redactor.redactLine('{"user":"a@b.com","password":"x"}');
 *   // → {"user":"[EMAIL @b.com]","password":"[REDACTED]"}
 *
 * API
 *   createRedactor(options?: RedactOptions): Redactor
 *   Redactor.redactString(s)    patterns only
 *   Redactor.redactLine(line)   JSON object/array line: field names + patterns,
 *                               output is valid JSON; any other line: patterns
 *   Redactor.redactObject(v)    redacted deep copy (field names + patterns)
 *   Redactor.isSensitiveKey(k)
 *   defaultRedactOptions        frozen defaults, documented on RedactOptions
 *
 * Field names (fieldNames + extraFieldNames): a key is sensitive when it
 * contains a configured name, ignoring case, where a separator in the name
 * matches any separator or none (access_token, X-Api-Key, apiKey,
 * set-cookie, user_password). Names of three letters or fewer (ssn) must be
 * a whole word of the key (user_ssn, userSsn; not className). Values become
 * "[REDACTED]" whatever their type, except null/undefined/booleans (kept:
 * they only say whether a secret was set).
 *
 * Patterns, in every string (masks with partialMask true | false):
 *   e-mail        a@example.com          [EMAIL @example.com] | [EMAIL]
 *   phone         +14155552671           [PHONE ***71]        | [PHONE]
 *   SSN           123-45-6789            [SSN]
 *   card (Luhn)   4111 1111 1111 1111    [CARD ****1111]      | [CARD]
 *   JWT           eyJ….….…               [JWT]
 *   bearer        Bearer abc.def         Bearer [REDACTED]   (scheme casing kept)
 * Phones: E.164 with or without grouping (+44 20 7946 0958, +1 (415)
 * 555-2671), US national ((415) 555-2671, 415-555-2671, 415.555.2671) and
 * UK-style trunk-0 national (020 7946 0958, 07700 900123). A bare digit run
 * (4155552671) is never a phone: it is as likely an id or an amount.
 * Cards: 13-19 digits, Luhn-valid, ungrouped or grouped with one kind of
 * separator (space or dash). An ungrouped run must start with 2-9 and a
 * 13-digit number with 4 (only Visa issued those), so epoch-ms timestamps
 * (until 2096) and snowflake ids stay intact. A run of space-separated
 * 4-digit numbers that happens to be Luhn-valid is masked as a card.
 * PII glued to letters or digits (abc4111…, ORD-415-555-2671) is not
 * matched: those boundaries keep hex ids, UUIDs and order ids intact.
 * Field values are replaced outright and masks drop the rest, so no
 * pattern ever reveals more than the hint shown above.
 *
 * redactLine returns a JSON line with no sensitive key name, no pattern hit
 * and no backslash unchanged, without parsing it (the ingest fast path).
 * Otherwise it parses, redacts and re-serialises: compact output, and
 * integers beyond 2^53 lose precision, as with any JSON.parse. If redaction
 * itself fails, the outputs fail closed: "[REDACTION FAILED]" (or
 * {"msg":"[REDACTION FAILED]"} for JSON lines), never the input.
 */
export { createRedactor, REDACTION_FAILED, type Redactor } from './redactor.ts';
export { defaultRedactOptions, type RedactOptions } from './options.ts';
export type { ExtraPattern } from './extra-patterns.ts';
export { patternNames, type PatternName } from './patterns.ts';
