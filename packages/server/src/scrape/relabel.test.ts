import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRelabelConfigs, expand, relabel, relabelConfigSchema } from './relabel.ts';

/** Relabels `labels` with YAML-shaped configs; null when the set is dropped. */
function run(labels: Record<string, string>, configs: unknown[]): Record<string, string> | null {
  const parsed = configs.map((c) => relabelConfigSchema.parse(c));
  const lb = new Map(Object.entries(labels));
  if (!relabel(lb, compileRelabelConfigs(parsed))) return null;
  return Object.fromEntries([...lb].sort(([a], [b]) => (a < b ? -1 : 1)));
}

describe('relabel: defaults and replace', () => {
  it('has Prometheus defaults: separator ;, regex (.*), replacement $1, action replace', () => {
    const c = relabelConfigSchema.parse({ target_label: 'x' });
    assert.equal(c.separator, ';');
    assert.equal(c.regex, '(.*)');
    assert.equal(c.replacement, '$1');
    assert.equal(c.action, 'replace');
  });

  it('joins source labels with the separator; a missing label is the empty string', () => {
    assert.deepEqual(run({ a: 'x', b: 'y' }, [{ source_labels: ['a', 'b', 'missing'], target_label: 'c' }]), {
      a: 'x', b: 'y', c: 'x;y;',
    });
    assert.deepEqual(run({ a: 'x', b: 'y' }, [{ source_labels: ['a', 'b'], separator: '/', target_label: 'c' }]), {
      a: 'x', b: 'y', c: 'x/y',
    });
  });

  it('docs: host from __address__ with (.*):\\d+', () => {
    const out = run({ __address__: '10.0.0.1:9100' }, [
      { source_labels: ['__address__'], regex: '(.*):\\d+', target_label: 'host', replacement: '$1' },
    ]);
    assert.deepEqual(out, { __address__: '10.0.0.1:9100', host: '10.0.0.1' });
  });

  it('regexes are fully anchored: "foo" does not match "foobar"', () => {
    assert.deepEqual(run({ a: 'foobar' }, [{ source_labels: ['a'], regex: 'foo', target_label: 'b', replacement: 'hit' }]), {
      a: 'foobar',
    });
    assert.deepEqual(run({ a: 'foo' }, [{ source_labels: ['a'], regex: 'foo', target_label: 'b', replacement: 'hit' }]), {
      a: 'foo', b: 'hit',
    });
  });

  it('regexes are dot-all as in Prometheus (^(?s:…)$)', () => {
    assert.deepEqual(run({ a: 'x\ny' }, [{ source_labels: ['a'], regex: 'x.y', target_label: 'b', replacement: 'ok' }]), {
      a: 'x\ny', b: 'ok',
    });
  });

  it('${1}, $name, ${name} and $$ in the replacement; $1x names group "1x", which is empty', () => {
    const base = { source_labels: ['__address__'], regex: '(?P<host>[^:]+):(?P<port>\\d+)', target_label: 'out' };
    const addr = { __address__: 'db:5432' };
    assert.equal(run(addr, [{ ...base, replacement: '${host}-${port}' }])!.out, 'db-5432');
    assert.equal(run(addr, [{ ...base, replacement: '$host.$port' }])!.out, 'db.5432');
    assert.equal(run(addr, [{ ...base, replacement: '${1}x' }])!.out, 'dbx');
    assert.equal(run(addr, [{ ...base, replacement: '$1x' }])?.out, undefined);
    assert.equal(run(addr, [{ ...base, replacement: '$$1 $2' }])!.out, '$1 5432');
    assert.equal(run(addr, [{ ...base, replacement: '$9' }])?.out, undefined);
  });

  it('target_label can hold references; an invalid result leaves the labels alone', () => {
    assert.deepEqual(run({ k: 'env', v: 'prod' }, [{ source_labels: ['k', 'v'], regex: '(.+);(.+)', target_label: '${1}', replacement: '$2' }]), {
      env: 'prod', k: 'env', v: 'prod',
    });
    assert.deepEqual(run({ k: '1bad', v: 'x' }, [{ source_labels: ['k', 'v'], regex: '(.+);(.+)', target_label: '$1', replacement: '$2' }]), {
      k: '1bad', v: 'x',
    });
  });

  it('no match leaves the labels alone; an empty result removes the target label', () => {
    assert.deepEqual(run({ a: 'x', b: 'old' }, [{ source_labels: ['a'], regex: 'y', target_label: 'b' }]), { a: 'x', b: 'old' });
    assert.deepEqual(run({ b: 'old', c: 'keep' }, [{ source_labels: ['a'], target_label: 'b' }]), { c: 'keep' });
  });

  it('a constant written with no source labels (docs: set __address__ for the blackbox exporter)', () => {
    assert.deepEqual(run({ __address__: 'example.com' }, [{ target_label: '__address__', replacement: '127.0.0.1:9115' }]), {
      __address__: '127.0.0.1:9115',
    });
  });
});

describe('relabel: keep, drop, keepequal, dropequal', () => {
  const up = { __name__: 'up', job: 'node' };
  it('keep keeps only matching sets; drop drops them', () => {
    assert.deepEqual(run(up, [{ source_labels: ['job'], regex: 'node|mysql', action: 'keep' }]), up);
    assert.equal(run(up, [{ source_labels: ['job'], regex: 'mysql', action: 'keep' }]), null);
    assert.equal(run(up, [{ source_labels: ['__name__'], regex: 'up', action: 'drop' }]), null);
    assert.deepEqual(run(up, [{ source_labels: ['__name__'], regex: 'u', action: 'drop' }]), up);
  });

  it('docs: drop expensive metrics by name (metric_relabel_configs)', () => {
    const drop = [{ source_labels: ['__name__'], regex: 'go_gc_.*|process_.*', action: 'DROP' }];
    assert.equal(run({ __name__: 'go_gc_duration_seconds' }, drop), null);
    assert.deepEqual(run({ __name__: 'http_requests_total' }, drop), { __name__: 'http_requests_total' });
  });

  it('keepequal / dropequal compare the joined source labels with target_label', () => {
    const set = { __meta_port: '8080', port: '8080' };
    assert.deepEqual(run(set, [{ source_labels: ['__meta_port'], target_label: 'port', action: 'keepequal' }]), set);
    assert.equal(run({ ...set, port: '9090' }, [{ source_labels: ['__meta_port'], target_label: 'port', action: 'keepequal' }]), null);
    assert.equal(run(set, [{ source_labels: ['__meta_port'], target_label: 'port', action: 'dropequal' }]), null);
  });
});

describe('relabel: labelmap, labeldrop, labelkeep, case, hashmod', () => {
  it('docs: labelmap copies __meta_kubernetes_pod_label_(.+) to $1', () => {
    const out = run(
      { __meta_kubernetes_pod_label_app: 'api', __meta_kubernetes_pod_label_tier: 'web', __meta_kubernetes_namespace: 'prod' },
      [{ action: 'labelmap', regex: '__meta_kubernetes_pod_label_(.+)' }],
    );
    assert.deepEqual(out, {
      __meta_kubernetes_namespace: 'prod',
      __meta_kubernetes_pod_label_app: 'api',
      __meta_kubernetes_pod_label_tier: 'web',
      app: 'api',
      tier: 'web',
    });
  });

  it('labeldrop removes matching names; labelkeep removes the others', () => {
    const set = { __name__: 'm', pod: 'p1', pod_ip: '1.2.3.4', node: 'n' };
    assert.deepEqual(run(set, [{ action: 'labeldrop', regex: 'pod.*' }]), { __name__: 'm', node: 'n' });
    assert.deepEqual(run(set, [{ action: 'labelkeep', regex: '__name__|pod' }]), { __name__: 'm', pod: 'p1' });
  });

  it('lowercase and uppercase write the joined source labels in another case', () => {
    assert.deepEqual(run({ a: 'MiXeD' }, [{ source_labels: ['a'], target_label: 'l', action: 'lowercase' }]), { a: 'MiXeD', l: 'mixed' });
    assert.deepEqual(run({ a: 'MiXeD' }, [{ source_labels: ['a'], target_label: 'u', action: 'uppercase' }]), { a: 'MiXeD', u: 'MIXED' });
  });

  it('docs: hashmod sharding (low 64 bits of the MD5, modulo), then keep one shard', () => {
    // Expected values computed with Python's hashlib, outside this code.
    const shard = [
      { source_labels: ['__address__'], modulus: 8, target_label: '__tmp_hash', action: 'hashmod' },
      { source_labels: ['__tmp_hash'], regex: '^5$', action: 'keep' },
    ];
    assert.deepEqual(run({ __address__: '10.0.0.1:9100' }, shard), { __address__: '10.0.0.1:9100', __tmp_hash: '5' });
    assert.equal(run({ __address__: '10.0.0.2:9100' }, shard), null); // hash 1
    assert.equal(run({ __address__: '10.0.0.3:9100' }, [shard[0]])!.__tmp_hash, '7');
  });

  it('steps apply in order, each seeing the previous result', () => {
    const out = run({ a: 'x' }, [
      { source_labels: ['a'], target_label: 'b', replacement: '${1}y' },
      { source_labels: ['b'], target_label: 'c', replacement: '${1}z' },
      { action: 'labeldrop', regex: 'a' },
    ]);
    assert.deepEqual(out, { b: 'xy', c: 'xyz' });
  });
});

describe('relabel config validation', () => {
  const problems = (c: unknown) => {
    const r = relabelConfigSchema.safeParse(c);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  it('names the field that is wrong', () => {
    assert.match(problems({ action: 'replace' }).join('\n'), /target_label: .*needs a target_label/);
    assert.match(problems({ action: 'hashmod', target_label: 'x' }).join('\n'), /modulus: /);
    assert.match(problems({ action: 'explode' }).join('\n'), /action: use one of replace, keep/);
    assert.match(problems({ regex: '(a+)+', target_label: 'x' }).join('\n'), /regex: .*exponential/);
    assert.match(problems({ regex: '(?<=a)b', target_label: 'x' }).join('\n'), /regex: .*lookahead/);
    assert.match(problems({ action: 'labeldrop', regex: 'x', source_labels: ['a'] }).join('\n'), /source_labels: .*not allowed/);
    assert.match(problems({ target_label: 'x', sourcelabels: ['a'] }).join('\n'), /sourcelabels/);
    assert.match(problems({ target_label: 'bad-name', action: 'lowercase', source_labels: ['a'] }).join('\n'), /target_label: .*not a valid label name/);
  });
});

describe('expand', () => {
  it('follows Go Regexp.Expand on malformed references', () => {
    const m = /^(a)(?<n>b)$/u.exec('ab')!;
    assert.equal(expand('${1', m), '${1');
    assert.equal(expand('$', m), '$');
    assert.equal(expand('x$-y', m), 'x$-y');
    assert.equal(expand('${n}${2}$1', m), 'bba');
  });
});
