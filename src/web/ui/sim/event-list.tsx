import type { SimEventView } from './sim-view';

/** The events the daemon recorded, newest first, as they arrive. */
export function EventList({ events }: { events: readonly SimEventView[] }) {
  return (
    <section class="panel events-panel" aria-labelledby="events-heading">
      <h2 id="events-heading">Recorded events</h2>
      {events.length === 0 ? (
        <p class="muted">None yet: present a badge.</p>
      ) : (
        <ol class="events" reversed>
          {[...events].reverse().map((event) => (
            <li key={event.seq} data-type={event.type}>
              <time dateTime={event.time}>{new Date(event.time).toLocaleTimeString()}</time>{' '}
              <strong>{event.type}</strong> {event.detail}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
