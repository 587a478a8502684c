import { Type } from '@sinclair/typebox';
import type { WebModule } from '../create-web-server.js';

export interface CabinetInfo {
  cabinetId: string;
  /** IANA zone the console shows times in (config cabinet.timeZone). */
  timeZone: string;
  slotCount: number;
}

const CabinetInfoSchema = Type.Object({
  cabinetId: Type.String(),
  timeZone: Type.String(),
  slotCount: Type.Integer(),
});

/** GET /api/cabinet: which cabinet this is and the time zone its times are shown in. */
export const cabinetInfoModule =
  (info: CabinetInfo): WebModule =>
  (app) => {
    app.get(
      '/api/cabinet',
      {
        config: { access: 'viewer' },
        schema: {
          summary: 'The cabinet this console runs for, and its time zone',
          response: { 200: CabinetInfoSchema },
        },
      },
      () => info,
    );
  };
