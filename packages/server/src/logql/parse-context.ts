/**
 * What the tree-to-AST conversion shares: the query text, positions for
 * messages, and the two ways a query is refused (bad syntax or valid LogQL
 * Vigil does not evaluate).
 */
import type { SyntaxNode } from '@lezer/common';
import { VigilError } from '../errors.ts';
import { unquoteGoString } from './literals.ts';

export class ParseContext {
  constructor(readonly query: string) {}

  text(node: SyntaxNode): string {
    return this.query.slice(node.from, node.to);
  }

  /** "line 1, col 9" for an offset, 1-based as editors show it. */
  position(offset: number): string {
    const before = this.query.slice(0, offset);
    const line = before.split('\n').length;
    const col = offset - (before.lastIndexOf('\n') + 1) + 1;
    return `line ${line}, col ${col}`;
  }

  /** Short excerpt for messages. */
  excerpt(from: number, to: number): string {
    const s = this.query.slice(from, to);
    return s.length > 40 ? s.slice(0, 40) + '…' : s;
  }

  fail(node: SyntaxNode | undefined, message: string): never {
    const where = node ? ` at ${this.position(node.from)} near "${this.excerpt(node.from, node.to)}"` : '';
    throw new VigilError('VIGIL_ERR_LOGQL_PARSE', `parse error${where}: ${message}`);
  }

  unsupported(what: string): never {
    throw new VigilError('VIGIL_ERR_LOGQL_UNSUPPORTED', `unsupported in LogQL: ${what}`);
  }

  /** A String node's value, with Go's quoting rules. */
  string(node: SyntaxNode | null | undefined): string {
    if (!node) return this.fail(undefined, 'expected a string');
    const r = unquoteGoString(this.text(node));
    if ('error' in r) return this.fail(node, r.error);
    return r.value;
  }

  /** The required child, or a parse error (only reachable on trees lezer recovered from). */
  child(node: SyntaxNode, name: string): SyntaxNode {
    const c = node.getChild(name);
    if (!c) this.fail(node, `expected ${name}`);
    return c;
  }
}

/** Lezer's left-recursive lists (Matchers, PipelineExpr, LineFilters…) flattened in source order. */
export function flattenList(node: SyntaxNode, listName: string, itemName: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.name === listName) out.push(...flattenList(c, listName, itemName));
    else if (c.name === itemName) out.push(c);
  }
  return out;
}
