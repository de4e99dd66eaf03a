import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normaliseSeverity, severityFromOtelNumber, type Severity } from './severity.ts';

describe('severityFromOtelNumber', () => {
  const table: Array<[number[], Severity]> = [
    [[1, 2, 3, 4], 'DEBUG'],
    [[5, 6, 7, 8], 'DEBUG'],
    [[9, 10, 11, 12], 'INFO'],
    [[13, 14, 15, 16], 'WARNING'],
    [[17, 18, 19, 20], 'ERROR'],
    [[21, 22, 23, 24], 'CRITICAL'],
  ];
  for (const [numbers, expected] of table) {
    it(`maps ${numbers.join(', ')} to ${expected}`, () => {
      for (const n of numbers) assert.equal(severityFromOtelNumber(n), expected);
    });
  }

  it('has no severity for 0 (unspecified), out-of-range or fractional numbers', () => {
    for (const n of [0, -1, 25, 100, 9.5, Number.NaN]) assert.equal(severityFromOtelNumber(n), undefined);
  });
});

describe('normaliseSeverity', () => {
  const names: Array<[string, Severity]> = [
    ['debug', 'DEBUG'],
    ['trace', 'DEBUG'],
    ['info', 'INFO'],
    ['information', 'INFO'],
    ['notice', 'INFO'],
    ['warn', 'WARNING'],
    ['warning', 'WARNING'],
    ['err', 'ERROR'],
    ['error', 'ERROR'],
    ['crit', 'CRITICAL'],
    ['critical', 'CRITICAL'],
    ['fatal', 'CRITICAL'],
    ['alert', 'CRITICAL'],
    ['emerg', 'CRITICAL'],
    ['panic', 'CRITICAL'],
  ];
  it('maps the usual names, case-insensitively', () => {
    for (const [name, expected] of names) {
      assert.equal(normaliseSeverity(name), expected, name);
      assert.equal(normaliseSeverity(name.toUpperCase()), expected, name.toUpperCase());
      assert.equal(normaliseSeverity(` ${name[0].toUpperCase()}${name.slice(1)} `), expected, name);
    }
  });

  it('maps pino levels, as numbers or digit strings', () => {
    const pino: Array<[number, Severity]> = [
      [10, 'DEBUG'],
      [20, 'DEBUG'],
      [30, 'INFO'],
      [40, 'WARNING'],
      [50, 'ERROR'],
      [60, 'CRITICAL'],
    ];
    for (const [n, expected] of pino) {
      assert.equal(normaliseSeverity(n), expected);
      assert.equal(normaliseSeverity(String(n)), expected);
    }
    assert.equal(normaliseSeverity(35), undefined);
  });

  it('reads syslog numbers 0–7 only when told', () => {
    const syslog: Severity[] = ['CRITICAL', 'CRITICAL', 'CRITICAL', 'ERROR', 'WARNING', 'INFO', 'INFO', 'DEBUG'];
    syslog.forEach((expected, n) => {
      assert.equal(normaliseSeverity(n, 'syslog'), expected, `syslog ${n}`);
      assert.equal(normaliseSeverity(n), undefined, `pino ${n}`);
    });
    assert.equal(normaliseSeverity('3', 'syslog'), 'ERROR');
    assert.equal(normaliseSeverity(8, 'syslog'), undefined);
    assert.equal(normaliseSeverity('warning', 'syslog'), 'WARNING');
  });

  it('reads OTel numbers when told', () => {
    assert.equal(normaliseSeverity(17, 'otel'), 'ERROR');
    assert.equal(normaliseSeverity(30, 'otel'), undefined);
  });

  it('has no severity for unknown names', () => {
    for (const v of ['', 'verbose', 'test severity text', '-1', '1.5']) assert.equal(normaliseSeverity(v), undefined, v);
  });
});
