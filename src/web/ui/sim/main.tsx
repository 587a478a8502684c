import { render } from 'preact';
import '../shared/base.css';
import './sim.css';
import { SimPage } from './sim-page';

const root = document.getElementById('app');
if (root) render(<SimPage />, root);
