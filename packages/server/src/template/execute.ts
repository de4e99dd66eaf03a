/**
 * Walks a parsed template as text/template's exec.go does, but async: any
 * function may return a Promise (Prometheus' `query`), and each is awaited
 * before the walk goes on. Output size, template-call depth and the number
 * of steps are capped so one bad template cannot stall rule evaluation.
 */
import type { Command, Node, Operand, Pipe } from './ast.ts';
import { formatValue, goTypeName } from './go-format.ts';
import { isTrue, type FunctionSpec } from './functions.ts';
import { GoTime } from './go-time.ts';
import { toQueryResult } from './prometheus-functions.ts';

export interface TemplateLimits {
  /** Characters of output. */
  maxOutput: number;
  /** Nested {{ template }} calls. */
  maxCallDepth: number;
  /** Nodes and range iterations walked per execution (each costs about 2 µs). */
  maxSteps: number;
}

export const DEFAULT_LIMITS: Readonly<TemplateLimits> = Object.freeze({
  maxOutput: 1024 * 1024,
  maxCallDepth: 100,
  maxSteps: 200_000,
});

export type MissingKey = 'default' | 'zero' | 'error';

export interface ExecutionContext {
  name: string;
  defines: ReadonlyMap<string, Node[]>;
  functions: ReadonlyMap<string, FunctionSpec>;
  missingKey: MissingKey;
  limits: TemplateLimits;
}

/** An execution problem at a line of the named template. */
export class ExecError extends Error {
  constructor(
    message: string,
    readonly template: string,
    readonly line: number,
  ) {
    super(message);
  }
}

class LoopSignal {
  constructor(readonly kind: 'break' | 'continue') {}
}

interface Variable {
  name: string;
  value: unknown;
}

const NO_ARGS: Operand[] = [];
/** Marks "no value piped in" apart from a piped `undefined`. */
const MISSING = Symbol('missing');

export async function execute(ctx: ExecutionContext, root: Node[], dot: unknown, vars: Record<string, unknown>): Promise<string> {
  const run = new Execution(ctx);
  run.vars.push({ name: '$', value: dot });
  for (const [name, value] of Object.entries(vars)) run.vars.push({ name: name.startsWith('$') ? name : '$' + name, value });
  await run.walkList(dot, root);
  return run.output.join('');
}

class Execution {
  readonly output: string[] = [];
  vars: Variable[] = [];
  private size = 0;
  private steps = 0;
  private depth = 0;
  private template: string;
  private line = 1;

  constructor(private readonly ctx: ExecutionContext) {
    this.template = ctx.name;
  }

  private fail(message: string): never {
    throw new ExecError(message, this.template, this.line);
  }

  private step(): void {
    const { maxSteps } = this.ctx.limits;
    if (++this.steps > maxSteps) this.fail(`template ran more than ${maxSteps} steps`);
  }

  private write(text: string): void {
    this.size += text.length;
    const { maxOutput } = this.ctx.limits;
    if (this.size > maxOutput) this.fail(`template output exceeds ${maxOutput} characters`);
    this.output.push(text);
  }

  async walkList(dot: unknown, list: Node[]): Promise<void> {
    for (const node of list) await this.walk(dot, node);
  }

  private async walk(dot: unknown, node: Node): Promise<void> {
    this.step();
    if (node.kind === 'text') return this.write(node.text);
    this.line = node.line;
    switch (node.kind) {
      case 'action': {
        const value = await this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.write(formatValue(value));
        return;
      }
      case 'if':
      case 'with':
        return this.walkIfOrWith(dot, node.kind, node.pipe, node.list, node.elseList);
      case 'range':
        return this.walkRange(dot, node.pipe, node.list, node.elseList);
      case 'template':
        return this.walkTemplate(dot, node.name, node.pipe);
      case 'break':
      case 'continue':
        throw new LoopSignal(node.kind);
    }
  }

  private async walkIfOrWith(dot: unknown, kind: 'if' | 'with', pipe: Pipe, list: Node[], elseList?: Node[]): Promise<void> {
    const mark = this.vars.length;
    const value = await this.evalPipeline(dot, pipe);
    if (isTrue(value)) await this.walkList(kind === 'with' ? value : dot, list);
    else if (elseList) await this.walkList(dot, elseList);
    this.vars.splice(mark);
  }

  private async walkRange(dot: unknown, pipe: Pipe, list: Node[], elseList?: Node[]): Promise<void> {
    const mark = this.vars.length;
    const entries = rangeEntries(await this.evalPipeline(dot, pipe), this.ctx.limits.maxSteps, (m) => this.fail(m));
    for (const [key, element] of entries) {
      this.step();
      if (pipe.decl.length > 0) this.bindRangeVariables(pipe, mark, key, element);
      const iterationMark = this.vars.length;
      try {
        await this.walkList(element, list);
      } catch (err) {
        if (!(err instanceof LoopSignal)) throw err;
        if (err.kind === 'break') break;
      } finally {
        this.vars.splice(iterationMark);
      }
    }
    if (entries.length === 0 && elseList) await this.walkList(dot, elseList);
    this.vars.splice(mark);
  }

  /** `range $v :=` binds the element; `range $k, $v :=` the key (or index) and element. */
  private bindRangeVariables(pipe: Pipe, mark: number, key: unknown, element: unknown): void {
    const values = pipe.decl.length === 1 ? [element] : [key, element];
    pipe.decl.forEach((name, i) => {
      if (pipe.isAssign) this.setVariable(name, values[i]);
      else this.vars[mark + i] = { name, value: values[i] };
    });
  }

  private async walkTemplate(dot: unknown, name: string, pipe?: Pipe): Promise<void> {
    const body = this.ctx.defines.get(name);
    if (!body) this.fail(`no such template "${name}"`);
    const { maxCallDepth } = this.ctx.limits;
    if (this.depth >= maxCallDepth) this.fail(`exceeded maximum template depth (${maxCallDepth})`);
    const newDot = pipe ? await this.evalPipeline(dot, pipe) : undefined;
    const saved = { vars: this.vars, template: this.template, line: this.line };
    this.vars = [{ name: '$', value: newDot }];
    this.template = name;
    this.depth++;
    try {
      await this.walkList(newDot, body);
    } finally {
      this.depth--;
      Object.assign(this, saved);
    }
  }

  private async evalPipeline(dot: unknown, pipe: Pipe): Promise<unknown> {
    let value: unknown = MISSING;
    for (const cmd of pipe.cmds) {
      value = await this.evalCommand(dot, cmd, value);
    }
    for (const name of pipe.decl) {
      if (pipe.isAssign) this.setVariable(name, value);
      else this.vars.push({ name, value });
    }
    return value;
  }

  private async evalCommand(dot: unknown, cmd: Command, final: unknown): Promise<unknown> {
    const [first] = cmd.args;
    switch (first.kind) {
      case 'field':
        return this.evalFieldChain(dot, dot, first.names, cmd.args, final);
      case 'variable':
        return this.evalFieldChain(dot, this.variable(first.name), first.fields, cmd.args, final);
      case 'chain':
        return this.evalFieldChain(dot, await this.evalArg(dot, first.node), first.fields, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first.name, cmd.args.slice(1), final);
      case 'nil':
        return this.fail('nil is not a command');
      default:
        if (cmd.args.length > 1 || final !== MISSING) this.fail(`can't give argument to non-function ${describeOperand(first)}`);
        return this.evalArg(dot, first);
    }
  }

  private async evalArg(dot: unknown, arg: Operand): Promise<unknown> {
    switch (arg.kind) {
      case 'dot':
        return dot;
      case 'nil':
        return null;
      case 'literal':
        return arg.value;
      case 'field':
        return this.evalFieldChain(dot, dot, arg.names, NO_ARGS, MISSING);
      case 'variable':
        return this.evalFieldChain(dot, this.variable(arg.name), arg.fields, NO_ARGS, MISSING);
      case 'chain':
        return this.evalFieldChain(dot, await this.evalArg(dot, arg.node), arg.fields, NO_ARGS, MISSING);
      case 'identifier':
        return this.evalFunction(dot, arg.name, NO_ARGS, MISSING);
      case 'pipe': {
        const mark = this.vars.length;
        const value = await this.evalPipeline(dot, arg.pipe);
        this.vars.splice(mark);
        return value;
      }
    }
  }

  private async evalArgs(dot: unknown, args: Operand[], final: unknown): Promise<unknown[]> {
    const values: unknown[] = [];
    for (const arg of args) values.push(await this.evalArg(dot, arg));
    if (final !== MISSING) values.push(final);
    return values;
  }

  private variable(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i].value;
    return this.fail(`undefined variable: ${name}`);
  }

  private setVariable(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        return;
      }
    }
    this.fail(`undefined variable: ${name}`);
  }

  /** Reads `.A.B.C` from a receiver; a function-valued last field is called with the command's arguments. */
  private async evalFieldChain(dot: unknown, receiver: unknown, names: string[], cmdArgs: Operand[], final: unknown): Promise<unknown> {
    const hasArgs = cmdArgs.length > 1 || final !== MISSING;
    if (names.length === 0) {
      if (hasArgs) this.fail(`can't give argument to non-function ${describeOperand(cmdArgs[0])}`);
      return receiver;
    }
    let value = receiver;
    for (let i = 0; i < names.length; i++) {
      const last = i === names.length - 1;
      const args = last && hasArgs ? await this.evalArgs(dot, cmdArgs.slice(1), final) : [];
      value = await this.evalField(value, names[i], args, last && hasArgs, last);
    }
    return value;
  }

  private async evalField(receiver: unknown, name: string, args: unknown[], hasArgs: boolean, last: boolean): Promise<unknown> {
    if (receiver === undefined || receiver === null) {
      if (this.ctx.missingKey === 'error') this.fail(`nil data; no entry for key "${name}"`);
      return undefined;
    }
    if (typeof receiver !== 'object' && typeof receiver !== 'function') {
      this.fail(`can't evaluate field ${name} in type ${goTypeName(receiver)}`);
    }
    // Go's time.Time methods (.Format, .Unix…) on a JavaScript Date.
    if (receiver instanceof Date) receiver = new GoTime(receiver);
    const found = lookupProperty(receiver as object, name);
    if (!found.present) {
      if (Array.isArray(receiver)) this.fail(`can't evaluate field ${name} in type ${goTypeName(receiver)}`);
      if (this.ctx.missingKey === 'error') this.fail(`map has no entry for key "${name}"`);
      if (hasArgs) this.fail(`${name} is not a method but has arguments`);
      // "zero" prints a missing label as "" (its map's zero value); inside a chain it stays nil so `.a.b` still reads.
      return last && this.ctx.missingKey === 'zero' ? '' : undefined;
    }
    if (typeof found.value === 'function') {
      return this.callFunction(name, { fn: found.value.bind(receiver) as FunctionSpec['fn'] }, args);
    }
    if (hasArgs) this.fail(`${name} is not a method but has arguments`);
    return found.value;
  }

  private async evalFunction(dot: unknown, name: string, args: Operand[], final: unknown): Promise<unknown> {
    const spec = this.ctx.functions.get(name);
    if (!spec) this.fail(`function "${name}" not defined`);
    if (name === 'and' || name === 'or') return this.shortCircuit(dot, name, args, final);
    return this.callFunction(name, spec, await this.evalArgs(dot, args, final));
  }

  /** and/or stop at the first argument that decides the result, as Go 1.18+ does. */
  private async shortCircuit(dot: unknown, name: 'and' | 'or', args: Operand[], final: unknown): Promise<unknown> {
    if (args.length === 0 && final === MISSING) this.fail(`wrong number of args for ${name}: want at least 1 got 0`);
    let value: unknown;
    for (const arg of args) {
      value = await this.evalArg(dot, arg);
      if (isTrue(value) === (name === 'or')) return value;
    }
    return final === MISSING ? value : final;
  }

  private async callFunction(name: string, spec: FunctionSpec, args: unknown[]): Promise<unknown> {
    const { fn, minArgs, maxArgs } = spec;
    if (minArgs !== undefined && (args.length < minArgs || args.length > (maxArgs ?? Infinity))) {
      const want = maxArgs === minArgs ? `${minArgs}` : `at least ${minArgs}`;
      this.fail(`wrong number of args for ${name}: want ${want} got ${args.length}`);
    }
    try {
      const returned = fn(...args);
      const result = isThenable(returned) ? await returned : returned;
      // Prometheus hands templates its own sample shape, whatever the caller's query returns.
      return spec === this.ctx.functions.get('query') ? toQueryResult(result) : result;
    } catch (err) {
      if (err instanceof ExecError || err instanceof LoopSignal) throw err;
      this.fail(`error calling ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

const HIDDEN_NAMES = new Set(['constructor', 'prototype', '__proto__']);
const BUILTIN_PROTOTYPES = new Set<unknown>([Object.prototype, Array.prototype, Function.prototype, Map.prototype, Date.prototype]);

/** Own properties, and getters or methods of the caller's classes; never what every object inherits. */
function lookupProperty(receiver: object, name: string): { present: boolean; value?: unknown } {
  if (receiver instanceof Map) return { present: receiver.has(name), value: receiver.get(name) };
  if ((Array.isArray(receiver) && /^\d+$/.test(name)) || HIDDEN_NAMES.has(name)) return { present: false };
  for (let o: object | null = receiver; o && !BUILTIN_PROTOTYPES.has(o); o = Object.getPrototypeOf(o)) {
    if (Object.hasOwn(o, name)) return { present: true, value: (receiver as Record<string, unknown>)[name] };
  }
  return { present: false };
}

function rangeEntries(value: unknown, maxLength: number, fail: (message: string) => never): [unknown, unknown][] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map((v, i) => [BigInt(i), v]);
  if (value instanceof Map) return [...value.keys()].sort().map((k) => [k, value.get(k)]);
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value))) {
    return Array.from({ length: Math.max(0, Math.min(Number(value), maxLength)) }, (_, i) => [BigInt(i), BigInt(i)]);
  }
  if (typeof value === 'object' && !(value instanceof Date)) {
    return Object.keys(value)
      .sort()
      .map((k) => [k, (value as Record<string, unknown>)[k]]);
  }
  return fail(`range can't iterate over ${formatValue(value)}`);
}

function describeOperand(operand: Operand): string {
  switch (operand.kind) {
    case 'literal':
      return operand.text;
    case 'dot':
      return '.';
    case 'field':
      return '.' + operand.names.join('.');
    case 'variable':
      return [operand.name, ...operand.fields].join('.');
    default:
      return operand.kind;
  }
}
