import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextRenderer } from './render.ts';
import { defaultSubject, templateData } from './template-data.ts';
import { sampleAlert, sampleNotification } from './testing.ts';

/** Alertmanager's own `__subject` from its default.tmpl. */
const ALERTMANAGER_SUBJECT =
  '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .GroupLabels.SortedPairs.Values | join " " }} ' +
  '{{ if gt (len .CommonLabels) (len .GroupLabels) }}({{ with .CommonLabels.Remove .GroupLabels.Names }}{{ .Values | join " " }}{{ end }}){{ end }}';

test('the default subject is what Alertmanager’s __subject template renders', async () => {
  const renderer = new TextRenderer();
  const cases = [
    sampleNotification(),
    sampleNotification({ groupLabels: { alertname: 'HighLatency', service: 'api' }, commonLabels: { alertname: 'HighLatency', service: 'api' } }),
    sampleNotification({ status: 'resolved', alerts: [sampleAlert({ alertname: 'HighLatency' }, {}, 'resolved')] }),
  ];
  for (const n of cases) {
    const rendered = await renderer.render(ALERTMANAGER_SUBJECT, templateData(n), 'subject');
    assert.equal(defaultSubject(n), rendered.trimEnd());
  }
});

test('template data: range and len see labels and alerts only, methods stay callable', async () => {
  const renderer = new TextRenderer();
  const n = sampleNotification({ alerts: [...sampleNotification().alerts, sampleAlert({ alertname: 'HighLatency', instance: 'c:1' }, {}, 'resolved')] });
  const render = (source: string) => renderer.render(source, templateData(n), 'test');
  assert.equal(await render('{{ range $k, $v := .CommonLabels }}{{ $k }}={{ $v }};{{ end }}'), 'alertname=HighLatency;service=api;severity=critical;');
  assert.equal(await render('{{ len .Alerts }}/{{ len .Alerts.Firing }}/{{ len .Alerts.Resolved }}'), '3/2/1');
  assert.equal(await render('{{ range .Alerts.Resolved }}{{ .Labels.instance }} {{ .StartsAt.Format "2006-01-02" }}{{ end }}'), 'c:1 2026-11-30');
  assert.equal(await render('{{ .CommonLabels.SortedPairs.Names | join "," }}'), 'alertname,service,severity');
  assert.equal(await render('{{ title "hELLO wORLD" }}'), 'Hello World', 'Alertmanager’s title, not Prometheus’');
});
