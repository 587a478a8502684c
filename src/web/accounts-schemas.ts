import { Type, type TSchema } from '@sinclair/typebox';
import { CUSTODIAN_ROLES } from '../app/custodian-roles.js';
import { StringEnum } from '../config/schema-kinds.js';
import { ACCOUNT_PATTERN, MAX_PASSWORD_LENGTH } from '../app/web-accounts/web-account-rules.js';

/** The request and answer shapes of the sign-in and accounts API (and so of its OpenAPI). */

const Role = StringEnum(CUSTODIAN_ROLES, {
  description: "'admin' (Administrator), 'custodian' (Custodian) or 'viewer' (Auditor)",
});
const AccountName = Type.String({ pattern: ACCOUNT_PATTERN.source, maxLength: 64 });
// Long enough for any real password and the rules' own message; the schema only bounds the work.
const Password = Type.String({ maxLength: MAX_PASSWORD_LENGTH * 4 });

export const ApiErrorSchema = Type.Object({ error: Type.String(), message: Type.String() });

export const SessionAnswer = Type.Object({
  user: Type.Union([Type.Object({ account: Type.String(), role: Role }), Type.Null()]),
  csrfToken: Type.String({ description: 'Send it as the x-csrf-token header with every change.' }),
});

export const SignInBody = Type.Object(
  // Any text up to a bound: a malformed name gets the same answer as an unknown one.
  { account: Type.String({ minLength: 1, maxLength: 200 }), password: Password },
  { additionalProperties: false },
);

export const AccountView = Type.Object({
  account: Type.String(),
  role: Role,
  disabled: Type.Boolean(),
  lockedUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  passwordChangedAt: Type.String({ format: 'date-time' }),
});

export const AccountList = Type.Object({ accounts: Type.Array(AccountView) });

export const NewAccountBody = Type.Object(
  { account: AccountName, role: Role, password: Password },
  { additionalProperties: false },
);

export const AccountParams = Type.Object({ account: AccountName });

export const AccountChangeBody = Type.Object(
  {
    role: Type.Optional(Role),
    disabled: Type.Optional(Type.Boolean()),
    password: Type.Optional(Password),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const OwnPasswordBody = Type.Object(
  { currentPassword: Password, newPassword: Password },
  { additionalProperties: false },
);

export const AccountEvents = Type.Object({
  events: Type.Array(
    Type.Object({
      id: Type.Integer(),
      at: Type.String({ format: 'date-time' }),
      actor: Type.String(),
      action: Type.String(),
      account: Type.String(),
      detail: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
    }),
  ),
});

/** The refusals every route of the API may answer, besides its own. */
export function withRefusals(answers: Record<number, TSchema>): Record<number, TSchema> {
  return {
    ...answers,
    400: ApiErrorSchema,
    401: ApiErrorSchema,
    403: ApiErrorSchema,
  };
}
