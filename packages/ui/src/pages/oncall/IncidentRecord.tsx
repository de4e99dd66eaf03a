/** The incident record (markdown from the server) in a panel, loaded when asked for, and a link that saves it as a file. */
import { useState } from 'react';
import { incidentRecord, incidentRecordUrl } from '../../api/client.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';

export function IncidentRecord({ id }: { id: string }) {
  const [record, setRecord] = useState<{ text?: string; error?: unknown; loading?: boolean }>({});
  const shown = record.text !== undefined || record.error !== undefined;
  const load = async () => {
    setRecord({ loading: true });
    try {
      setRecord({ text: await incidentRecord(id) });
    } catch (error) {
      setRecord({ error });
    }
  };
  return (
    <section className="panel" aria-labelledby="oncall-record">
      <div className="oncall-toolbar">
        <h2 id="oncall-record">Incident record</h2>
        <button type="button" onClick={shown ? () => setRecord({}) : load} aria-expanded={shown} disabled={record.loading}>
          {record.loading ? 'Loading…' : shown ? 'Hide record' : 'Show record'}
        </button>
        <a href={incidentRecordUrl(id)} download={`incident-${id}.md`}>
          Download record (.md)
        </a>
      </div>
      {record.error !== undefined && <ErrorMessage error={record.error} />}
      {record.text !== undefined && (
        <pre className="oncall-record" aria-label="Incident record text">
          {record.text}
        </pre>
      )}
    </section>
  );
}
