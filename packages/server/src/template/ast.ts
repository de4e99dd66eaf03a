/** The parse tree of a template, shaped like text/template/parse's nodes. */

export type Node = TextNode | ActionNode | BranchNode | TemplateCallNode | LoopControlNode;

export interface TextNode {
  kind: 'text';
  text: string;
}

/** `{{ pipeline }}`: prints the value unless the pipeline declares a variable. */
export interface ActionNode {
  kind: 'action';
  line: number;
  pipe: Pipe;
}

/** `if`, `with` and `range`: `list` runs when the pipeline is truthy (per element for range), else `elseList`. */
export interface BranchNode {
  kind: 'if' | 'with' | 'range';
  line: number;
  pipe: Pipe;
  list: Node[];
  elseList?: Node[];
}

/** `{{ template "name" pipeline }}`, also what `block` leaves in place. */
export interface TemplateCallNode {
  kind: 'template';
  line: number;
  name: string;
  pipe?: Pipe;
}

export interface LoopControlNode {
  kind: 'break' | 'continue';
  line: number;
}

export interface Pipe {
  line: number;
  /** Variables declared (`:=`) or assigned (`=`) by this pipeline, with their `$`, e.g. "$x". */
  decl: string[];
  isAssign: boolean;
  cmds: Command[];
}

/** One stage of a pipeline: a function or method with its arguments, or a single operand. */
export interface Command {
  line: number;
  args: Operand[];
}

export type Operand =
  | { kind: 'field'; names: string[] }
  | { kind: 'variable'; name: string; fields: string[] }
  | { kind: 'dot' }
  | { kind: 'nil' }
  | { kind: 'literal'; value: string | boolean | number | bigint; text: string }
  | { kind: 'identifier'; name: string }
  | { kind: 'pipe'; pipe: Pipe }
  | { kind: 'chain'; node: Operand; fields: string[] };

/** A parsed source: its main body and the templates it defines with `define` or `block`. */
export interface ParsedTemplate {
  root: Node[];
  defines: Map<string, Node[]>;
}

/** Go's IsEmptyTree: a definition of only blank text never replaces a real one. */
export function isEmptyList(list: Node[]): boolean {
  return list.every((n) => n.kind === 'text' && n.text.trim() === '');
}
