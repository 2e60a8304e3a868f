import type { Words } from '../errors';

export function ErrorPage({ words }: { words: Words }) {
  return (
    <main className="error-page" data-testid="app-error">
      <h1>Pump Refill Coder</h1>
      <div role="alert">
        <p className="error-message">{words.message}</p>
        <p className="next">{words.next}</p>
      </div>
    </main>
  );
}
