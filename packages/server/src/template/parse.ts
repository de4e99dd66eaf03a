/**
 * A recursive-descent parser for Go's text/template grammar, following
 * text/template/parse: actions, pipelines, if/with/range with else chains,
 * define/template/block, variable scoping, break/continue. Like Go, it
 * refuses unknown function names at parse time, so a misspelt function in a
 * rule fails when the rule is loaded rather than when the alert fires.
 */
import { isEmptyList, type Command, type Node, type Operand, type ParsedTemplate, type Pipe } from './ast.ts';
import { lex, LexError, type Token } from './lexer.ts';
import { parseNumber, ParseError, unquote } from './literals.ts';

export { ParseError };

export interface ParseSettings {
  isFunction(name: string): boolean;
  /** Variables the caller defines (e.g. "$labels"); when given, any other undeclared `$x` is a parse error. */
  variables?: string[];
}

const MAX_NESTING = 100;

/** Parses a source into its body and `define`d templates; throws ParseError. */
export function parseSource(source: string, settings: ParseSettings): ParsedTemplate {
  let tokens: Token[];
  try {
    tokens = lex(source);
  } catch (err) {
    if (err instanceof LexError) throw new ParseError(err.message, err.line);
    throw err;
  }
  return new Parser(tokens, settings).parse();
}

type ListEnd = { kind: 'end' | 'else'; line: number };

class Parser {
  private pos = 0;
  private rangeDepth = 0;
  private nesting = 0;
  private vars: string[] | undefined;
  private readonly defines = new Map<string, Node[]>();

  constructor(
    private readonly tokens: Token[],
    private readonly settings: ParseSettings,
  ) {}

  parse(): ParsedTemplate {
    const root: Node[] = [];
    this.resetVars();
    while (this.peek().type !== 'eof') {
      if (this.peek().type === 'leftDelim' && this.peekAfterDelimIs('define')) {
        this.next();
        this.nextNonSpace();
        this.definition();
        continue;
      }
      const node = this.textOrAction();
      if ('end' in node) this.fail(`unexpected {{${node.end.kind}}}`, node.end.line);
      root.push(node);
    }
    return { root, defines: this.defines };
  }

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private next(): Token {
    const token = this.tokens[this.pos];
    if (token.type !== 'eof') this.pos++;
    return token;
  }

  private nextNonSpace(): Token {
    let token = this.next();
    while (token.type === 'space') token = this.next();
    return token;
  }

  /** Skips spaces (they only separate operands) and shows the next token. */
  private peekNonSpace(): Token {
    while (this.tokens[this.pos].type === 'space') this.pos++;
    return this.tokens[this.pos];
  }

  private peekAfterDelimIs(keyword: string): boolean {
    let i = this.pos + 1;
    while (this.tokens[i].type === 'space') i++;
    return this.tokens[i].type === 'keyword' && this.tokens[i].value === keyword;
  }

  private expect(type: Token['type'], context: string): Token {
    const token = this.nextNonSpace();
    if (token.type !== type) this.unexpected(token, context);
    return token;
  }

  private fail(message: string, line = this.peek().line): never {
    throw new ParseError(message, line);
  }

  private unexpected(token: Token, context: string): never {
    if (token.type === 'eof') this.fail('unexpected EOF', token.line);
    this.fail(`unexpected ${describe(token)} in ${context}`, token.line);
  }

  private enter(): void {
    if (++this.nesting > MAX_NESTING) this.fail(`template nests deeper than ${MAX_NESTING} levels`);
  }

  private resetVars(): void {
    this.vars = this.settings.variables ? ['$', ...this.settings.variables] : undefined;
  }

  private definition(): void {
    const nameToken = this.templateName('define clause');
    this.expect('rightDelim', 'define clause');
    const name = unquote(nameToken);
    this.addDefine(name, this.withFreshScope(() => this.listUntilEnd('define')), nameToken.line);
  }

  private addDefine(name: string, list: Node[], line: number): void {
    const existing = this.defines.get(name);
    if (existing && !isEmptyList(existing) && !isEmptyList(list)) this.fail(`multiple definition of template "${name}"`, line);
    if (!existing || isEmptyList(existing)) this.defines.set(name, list);
  }

  private withFreshScope<T>(fn: () => T): T {
    const saved = { vars: this.vars, rangeDepth: this.rangeDepth };
    this.resetVars();
    this.rangeDepth = 0;
    try {
      return fn();
    } finally {
      this.vars = saved.vars;
      this.rangeDepth = saved.rangeDepth;
    }
  }

  private listUntilEnd(context: string): Node[] {
    const { list, end } = this.itemList();
    if (end.kind !== 'end') this.fail(`unexpected {{else}} in ${context}`, end.line);
    return list;
  }

  /** Nodes up to the next {{end}} or {{else}}. */
  private itemList(): { list: Node[]; end: ListEnd } {
    const list: Node[] = [];
    while (this.peekNonSpace().type !== 'eof') {
      const node = this.textOrAction();
      if ('end' in node) return { list, end: node.end };
      list.push(node);
    }
    this.fail('unexpected EOF');
  }

  private textOrAction(): Node | { end: ListEnd } {
    const token = this.nextNonSpace();
    if (token.type === 'text') return { kind: 'text', text: token.value };
    if (token.type === 'leftDelim') {
      this.enter();
      try {
        return this.action();
      } finally {
        this.nesting--;
      }
    }
    this.unexpected(token, 'input');
  }

  private action(): Node | { end: ListEnd } {
    const token = this.nextNonSpace();
    if (token.type === 'keyword') {
      switch (token.value) {
        case 'block':
          return this.blockControl(token);
        case 'break':
        case 'continue':
          return this.loopControl(token);
        case 'else':
          return { end: this.elseControl(token) };
        case 'end':
          this.expect('rightDelim', 'end');
          return { end: { kind: 'end', line: token.line } };
        case 'if':
        case 'range':
        case 'with':
          return this.control(token.value, token.line);
        case 'template':
          return this.templateControl(token);
      }
    }
    this.pos--;
    return { kind: 'action', line: token.line, pipe: this.pipeline('command', 'rightDelim') };
  }

  private loopControl(token: Token): Node {
    this.expect('rightDelim', token.value);
    if (this.rangeDepth === 0) this.fail(`{{${token.value}}} outside {{range}}`, token.line);
    return { kind: token.value as 'break' | 'continue', line: token.line };
  }

  private elseControl(token: Token): ListEnd {
    const peek = this.peekNonSpace();
    // "else if" and "else with" chain: the keyword stays for the enclosing control to read.
    if (peek.type === 'keyword' && (peek.value === 'if' || peek.value === 'with')) return { kind: 'else', line: token.line };
    this.expect('rightDelim', 'else');
    return { kind: 'else', line: token.line };
  }

  private control(context: 'if' | 'range' | 'with', line: number): Node {
    const varCount = this.vars?.length ?? 0;
    try {
      const pipe = this.pipeline(context, 'rightDelim');
      if (context === 'range') this.rangeDepth++;
      const { list, end } = this.itemList();
      if (context === 'range') this.rangeDepth--;
      if (end.kind === 'end') return { kind: context, line, pipe, list };
      return { kind: context, line, pipe, list, elseList: this.elseBranch(context) };
    } finally {
      this.vars?.splice(varCount);
    }
  }

  private elseBranch(context: 'if' | 'range' | 'with'): Node[] {
    const peek = this.peekNonSpace();
    if (context !== 'range' && peek.type === 'keyword' && peek.value === context) {
      this.nextNonSpace();
      return [this.control(context, peek.line)];
    }
    return this.listUntilEnd(context);
  }

  private templateName(context: string): Token {
    const token = this.nextNonSpace();
    if (token.type !== 'string' && token.type !== 'rawString') this.unexpected(token, context);
    return token;
  }

  private templateControl(token: Token): Node {
    const name = unquote(this.templateName('template clause'));
    if (this.peekNonSpace().type === 'rightDelim') {
      this.nextNonSpace();
      return { kind: 'template', line: token.line, name };
    }
    return { kind: 'template', line: token.line, name, pipe: this.pipeline('template clause', 'rightDelim') };
  }

  private blockControl(token: Token): Node {
    const nameToken = this.templateName('block clause');
    const name = unquote(nameToken);
    const pipe = this.pipeline('block clause', 'rightDelim');
    this.addDefine(name, this.withFreshScope(() => this.listUntilEnd('block')), nameToken.line);
    return { kind: 'template', line: token.line, name, pipe };
  }

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): Pipe {
    const line = this.peekNonSpace().line;
    const pipe: Pipe = { line, decl: [], isAssign: false, cmds: [] };
    this.declarations(pipe, context);
    let piped = false;
    for (;;) {
      const token = this.nextNonSpace();
      if (token.type === end) {
        if (pipe.cmds.length === 0) this.fail(`missing value for ${context}`, token.line);
        if (piped) this.fail('missing command after "|"', token.line);
        checkPipeline(pipe);
        return pipe;
      }
      if (!OPERAND_START.has(token.type)) this.unexpected(token, context);
      this.pos--;
      pipe.cmds.push(this.command());
      piped = this.tokens[this.pos - 1].type === 'pipe';
    }
  }

  private declarations(pipe: Pipe, context: string): void {
    const start = this.pos;
    const variable = this.nextNonSpace();
    if (variable.type !== 'variable') {
      this.pos = start;
      return;
    }
    const after = this.nextNonSpace();
    if (after.type === 'declare' || after.type === 'assign') {
      pipe.isAssign = after.type === 'assign';
      if (pipe.isAssign) this.useVariable(variable);
      pipe.decl.push(variable.value);
      if (!pipe.isAssign) this.vars?.push(variable.value);
      return;
    }
    if (after.type === 'comma' && context === 'range') {
      const second = this.nextNonSpace();
      const op = this.nextNonSpace();
      if (second.type !== 'variable' || (op.type !== 'declare' && op.type !== 'assign')) this.fail('range can only initialize variables', second.line);
      pipe.isAssign = op.type === 'assign';
      pipe.decl.push(variable.value, second.value);
      if (pipe.isAssign) [variable, second].forEach((v) => this.useVariable(v));
      else this.vars?.push(variable.value, second.value);
      return;
    }
    if (after.type === 'comma') this.fail(`too many declarations in ${context}`, after.line);
    this.pos = start;
  }

  private command(): Command {
    const line = this.peekNonSpace().line;
    const cmd: Command = { line, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const token = this.next();
      if (token.type === 'space') continue;
      if (token.type === 'rightDelim' || token.type === 'rightParen') this.pos--;
      else if (token.type !== 'pipe') this.unexpected(token, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.fail('empty command', line);
    return cmd;
  }

  private operand(): Operand | undefined {
    const node = this.term();
    if (!node || this.peek().type !== 'field') return node;
    const fields: string[] = [];
    while (this.peek().type === 'field') fields.push(this.next().value.slice(1));
    if (node.kind === 'field') return { kind: 'field', names: [...node.names, ...fields] };
    if (node.kind === 'variable') return { kind: 'variable', name: node.name, fields: [...node.fields, ...fields] };
    if (node.kind === 'literal' || node.kind === 'nil' || node.kind === 'dot') this.fail(`unexpected . after term "${termText(node)}"`);
    return { kind: 'chain', node, fields };
  }

  private term(): Operand | undefined {
    const token = this.nextNonSpace();
    switch (token.type) {
      case 'identifier':
        if (!this.settings.isFunction(token.value)) this.fail(`function "${token.value}" not defined`, token.line);
        return { kind: 'identifier', name: token.value };
      case 'dot':
        return { kind: 'dot' };
      case 'nil':
        return { kind: 'nil' };
      case 'variable':
        this.useVariable(token);
        return { kind: 'variable', name: token.value, fields: [] };
      case 'field':
        return { kind: 'field', names: [token.value.slice(1)] };
      case 'bool':
        return { kind: 'literal', value: token.value === 'true', text: token.value };
      case 'number':
      case 'char':
        return { kind: 'literal', value: parseNumber(token), text: token.value };
      case 'string':
      case 'rawString':
        return { kind: 'literal', value: unquote(token), text: token.value };
      case 'leftParen':
        return this.parenthesized();
      default:
        this.pos--;
        return undefined;
    }
  }

  private parenthesized(): Operand {
    this.enter();
    try {
      return { kind: 'pipe', pipe: this.pipeline('parenthesized pipeline', 'rightParen') };
    } finally {
      this.nesting--;
    }
  }

  private useVariable(token: Token): void {
    if (this.vars && !this.vars.includes(token.value)) this.fail(`undefined variable "${token.value}"`, token.line);
  }
}

const OPERAND_START = new Set<Token['type']>(['bool', 'char', 'dot', 'field', 'identifier', 'number', 'nil', 'rawString', 'string', 'variable', 'leftParen']);

/** Only the first command may be a plain value: `{{ .x | 3 }}` has nothing to pass .x to. */
function checkPipeline(pipe: Pipe): void {
  pipe.cmds.forEach((cmd, i) => {
    const kind = cmd.args[0].kind;
    if (i > 0 && (kind === 'literal' || kind === 'dot' || kind === 'nil')) {
      throw new ParseError(`non executable command in pipeline stage ${i + 1}`, cmd.line);
    }
  });
}

function describe(token: Token): string {
  if (token.type === 'keyword') return `<${token.value}>`;
  if (token.type === 'rightDelim' || token.type === 'leftDelim') return `"${token.value}"`;
  const text = token.value.length > 20 ? token.value.slice(0, 20) + '...' : token.value;
  return JSON.stringify(text);
}

function termText(node: Operand): string {
  if (node.kind === 'literal') return node.text;
  return node.kind === 'nil' ? 'nil' : '.';
}

