/** Placeholder: the sign-in form arrives with the accounts work. */
export function SignIn(_props: { onSignedIn: () => void }) {
  return <p>Sign-in is not available yet.</p>;
}
