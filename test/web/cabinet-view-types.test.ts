import { expectTypeOf, it } from 'vitest';
import type { ScreenView as DaemonView } from '../../src/domain/screen/screen-view.js';
import type { ScreenView as PageView } from '../../src/web/ui/cabinet/screen-view.js';

// The page may import nothing outside src/web/ui/, so it writes the view's shape again; tsc
// (npm test's check) fails here when the two copies drift apart.
it('the cabinet page reads the view the daemon sends, field for field', () => {
  expectTypeOf<PageView>().toEqualTypeOf<DaemonView>();
});
