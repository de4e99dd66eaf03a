/**
 * `#/oncall`: for each schedule, who is on call now and the shifts of the
 * next two weeks, in the viewer's time and (when it differs) the schedule's.
 */
import { oncallNow, type ScheduleOncall } from '../../api/client.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { parseTime } from '../../components/time-text.ts';
import { usePolled } from '../../components/use-polled.ts';
import { shiftSpan, viewerTimeZone, zonedText } from './shift-view.ts';
import './oncall.css';

const TWO_WEEKS_MS = 14 * 86_400_000;

export function OncallPage() {
  const schedules = usePolled(oncallNow, 'oncall', 60_000);
  return (
    <div className="oncall-page">
      <h1>On call</h1>
      <p className="muted">Times in your time zone ({viewerTimeZone()}); the schedule's own zone is shown where it differs.</p>
      {schedules.error !== undefined && <ErrorMessage error={schedules.error} />}
      {!schedules.data && !schedules.error && <p className="muted">Loading schedules…</p>}
      {schedules.data?.length === 0 && <p className="muted">No schedules configured. Add them under `oncall.schedules` in Vigil's config.</p>}
      {schedules.data?.map((entry) => <ScheduleCard key={entry.schedule.id} entry={entry} />)}
    </div>
  );
}

function ScheduleCard({ entry }: { entry: ScheduleOncall }) {
  const { schedule, now } = entry;
  const headingId = `oncall-schedule-${schedule.id}`;
  return (
    <section className="panel oncall-schedule" aria-labelledby={headingId}>
      <h2 id={headingId}>{schedule.name}</h2>
      <p className="muted">Time zone {schedule.time_zone}</p>
      <p className="oncall-now">
        {now ? (
          <>
            On call now: <strong>{now.person.name}</strong> <span className="muted">({now.layer})</span>
          </>
        ) : (
          'Nobody is on call now.'
        )}
      </p>
      <ShiftList entry={entry} />
    </section>
  );
}

function ShiftList({ entry }: { entry: ScheduleOncall }) {
  const { schedule, shifts } = entry;
  if (shifts.length === 0) return <p className="muted">No shifts in the next two weeks.</p>;
  const windowStart = Date.now();
  const windowEnd = windowStart + TWO_WEEKS_MS;
  return (
    <ol className="oncall-shifts" aria-label={`Shifts of ${schedule.name}`}>
      {shifts.map((shift) => {
        const start = parseTime(shift.start) ?? windowStart;
        const end = parseTime(shift.end) ?? windowEnd;
        const from = zonedText(start, schedule.time_zone);
        const to = zonedText(end, schedule.time_zone);
        const span = shiftSpan(start, end, windowStart, windowEnd);
        return (
          <li key={`${shift.layer}-${shift.start}-${shift.person.id}`} className="oncall-shift">
            <div className="oncall-shift-who">
              <strong>{shift.person.name}</strong> <span className="muted">{shift.layer}</span>
            </div>
            <div>
              {from.local} → {to.local}
            </div>
            {(from.zoned || to.zoned) && (
              <div className="muted">
                {schedule.time_zone}: {from.zoned ?? from.local} → {to.zoned ?? to.local}
              </div>
            )}
            <div className="oncall-shift-bar" aria-hidden="true">
              <span style={{ left: `${span.left * 100}%`, width: `${Math.max(span.width * 100, 0.5)}%` }} />
            </div>
          </li>
        );
      })}
    </ol>
  );
}
