// A test-only fault, loaded into the daemon with `node --import` by
// test/daemon/crash-in-child-drives-outputs-off.test.ts and by nothing else (the unit's
// ExecStart has no --import): on SIGUSR2, an unhandled error of the kind the crash guard exists
// for. KEYWARDEN_TEST_CRASH=rejection makes it an unhandled rejection instead of an exception.
process.on('SIGUSR2', () => {
  if (process.env.KEYWARDEN_TEST_CRASH === 'rejection') {
    void Promise.reject(new Error('injected unhandled rejection'));
  } else {
    setImmediate(() => {
      throw new Error('injected uncaught exception');
    });
  }
});
