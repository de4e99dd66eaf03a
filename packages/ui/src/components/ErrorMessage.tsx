import { ApiError } from '../api/client.ts';

/** An error shown where the data would have been; never a blank. */
export function ErrorMessage({ error, query }: { error: unknown; query?: string }) {
  const message = error instanceof Error ? error.message : String(error);
  const position = error instanceof ApiError ? error.position : undefined;
  return (
    <div className="error" role="alert">
      <strong>{error instanceof ApiError && error.status === 0 ? 'Vigil is unreachable' : 'Error'}:</strong> {message}
      {query !== undefined && position !== undefined && (
        <pre className="error-position" aria-label="where the error is">
          {query}
          {'\n'}
          {' '.repeat(position)}^
        </pre>
      )}
    </div>
  );
}
