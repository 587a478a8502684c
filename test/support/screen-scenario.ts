import type { CabinetInput } from '../../src/domain/cabinet-inputs.js';
import type { ReasonCodeChoice, ScreenView } from '../../src/domain/screen/screen-view.js';
import { screenView } from '../../src/domain/screen/screen-view.js';
import { NO_NOTICE, noteEvents, type ScreenNotice } from '../../src/domain/screen/screen-notice.js';
import { CabinetScenario } from './cabinet-scenario.js';

/**
 * The cabinet scenario with its screen: every input's recorded events are noted as the daemon
 * notes them (src/daemon/services/cabinet-screen.ts), and `view()` is what the screen shows now.
 */
export class ScreenScenario extends CabinetScenario {
  notice: ScreenNotice = NO_NOTICE;
  codes: ReasonCodeChoice[] = [];

  override send(input: CabinetInput) {
    const before = this.events.length;
    const effects = super.send(input);
    // The base constructor sends inputs before this class's fields are set.
    const notice = (this.notice as ScreenNotice | undefined) ?? NO_NOTICE;
    this.notice = noteEvents(notice, this.events.slice(before), this.clock.monotonicMs());
    return effects;
  }

  view(): ScreenView {
    const directory = this.directory;
    return screenView(this.state, this.notice, {
      settings: this.settings,
      clock: this.clock,
      timeZone: 'Europe/London',
      directory: {
        openLoansOf: (id) => directory.openLoansOf(id),
        keyById: (id) => directory.keyById(id),
        keyByTag: (tag) => directory.keyByTag(tag),
        keyByHomeSlot: (slot) => directory.keyByHomeSlot(slot),
        holder: (id) => directory.holder(id),
        reasonCodeChoices: () => this.codes,
      },
    });
  }
}
