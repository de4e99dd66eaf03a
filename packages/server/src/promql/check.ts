/**
 * Static type checks, as Prometheus' parser makes them after parsing:
 * argument types of functions and aggregations, which operands binary
 * operators accept, and where `bool` and vector matching may appear.
 */
import { VigilError } from '../errors.ts';
import { COMPARISON_OPS, SET_OPS, type Expr, type ValueType } from './ast.ts';
import { FUNCTION_TYPES, UNSUPPORTED_FUNCTIONS, typeName } from './function-types.ts';

export function checkTypes(e: Expr, query: string): ValueType {
  const fail = (msg: string): never => {
    const before = query.slice(0, e.pos);
    const where = `line ${before.split('\n').length}, col ${e.pos - (before.lastIndexOf('\n') + 1) + 1}`;
    throw new VigilError('VIGIL_ERR_PROMQL_PARSE', `parse error at ${where}: ${msg}`);
  };
  const expect = (sub: Expr, want: ValueType, ctx: string): void => {
    const got = checkTypes(sub, query);
    if (got !== want) fail(`expected type ${typeName(want)} in ${ctx}, got ${typeName(got)}`);
  };
  switch (e.kind) {
    case 'number': return 'scalar';
    case 'string': return 'string';
    case 'vector-selector': return 'vector';
    case 'matrix-selector': return 'matrix';
    case 'paren': return checkTypes(e.expr, query);
    case 'subquery':
      expect(e.expr, 'vector', 'subquery');
      return 'matrix';
    case 'unary': {
      const t = checkTypes(e.expr, query);
      if (t !== 'scalar' && t !== 'vector') fail(`unary expression only allowed on expressions of type scalar or instant vector, got ${typeName(t)}`);
      return t;
    }
    case 'aggregate': {
      expect(e.expr, 'vector', 'aggregation expression');
      if (e.param) expect(e.param, e.op === 'count_values' ? 'string' : 'scalar', 'aggregation parameter');
      return 'vector';
    }
    case 'call': {
      const sig = FUNCTION_TYPES[e.func];
      if (!sig) {
        if (UNSUPPORTED_FUNCTIONS[e.func]) throw new VigilError('VIGIL_ERR_PROMQL_UNSUPPORTED', `unsupported in PromQL: ${UNSUPPORTED_FUNCTIONS[e.func]} (function "${e.func}")`);
        return fail(`unknown function with name "${e.func}"`);
      }
      const min = sig.args.length - (sig.optional ?? 0);
      const n = e.args.length;
      if (n < min || (!sig.variadic && n > sig.args.length)) {
        fail(`expected ${sig.optional ? `at least ${min}` : min} argument(s) in call to "${e.func}", got ${n}`);
      }
      e.args.forEach((a, i) => expect(a, sig.args[Math.min(i, sig.args.length - 1)], `call to function "${e.func}"`));
      if (UNSUPPORTED_FUNCTIONS[e.func]) {
        throw new VigilError('VIGIL_ERR_PROMQL_UNSUPPORTED', `unsupported in PromQL: ${UNSUPPORTED_FUNCTIONS[e.func]} (function "${e.func}")`);
      }
      return sig.returns;
    }
    case 'binary': {
      const lt = checkTypes(e.lhs, query);
      const rt = checkTypes(e.rhs, query);
      const cmp = COMPARISON_OPS.has(e.op);
      if (e.bool && !cmp) fail('bool modifier can only be used on comparison operators');
      if ((lt !== 'scalar' && lt !== 'vector') || (rt !== 'scalar' && rt !== 'vector')) {
        fail('binary expression must contain only scalar and instant vector types');
      }
      if (cmp && lt === 'scalar' && rt === 'scalar' && !e.bool) fail('comparisons between scalars must use BOOL modifier');
      if (SET_OPS.has(e.op)) {
        if (lt === 'scalar' || rt === 'scalar') fail(`set operator "${e.op}" not allowed in binary scalar expression`);
        if (e.matching && e.matching.card !== 'one-to-one') fail(`no grouping allowed for "${e.op}" operation`);
        if (!e.matching) e.matching = { card: 'many-to-many', on: false, labels: [], include: [] };
        else e.matching.card = 'many-to-many';
      }
      if (e.matching && (lt !== 'vector' || rt !== 'vector')) {
        if (e.matching.on || e.matching.labels.length || e.matching.card !== 'one-to-one') fail('vector matching only allowed between instant vectors');
        e.matching = undefined;
      }
      if (e.matching && e.matching.on) {
        for (const l of e.matching.include) {
          if (e.matching.labels.includes(l)) fail(`label "${l}" must not occur in ON and GROUP clause at once`);
        }
      }
      return lt === 'scalar' && rt === 'scalar' ? 'scalar' : 'vector';
    }
  }
}
