import { render } from 'preact';
import '../shared/base.css';

/** Placeholder until the page is built. */
function Page() {
  return (
    <main>
      <h1>Keywarden sim</h1>
    </main>
  );
}

const root = document.getElementById('app');
if (root) render(<Page />, root);
