import { render } from 'preact';
import '../shared/base.css';

/** The custodians' console (its pages come with the console's issue work). */
function Console() {
  return (
    <main>
      <h1>Keywarden</h1>
    </main>
  );
}

const root = document.getElementById('app');
if (root) render(<Console />, root);
