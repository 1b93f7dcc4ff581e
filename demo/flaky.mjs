// Demo flaky service: works for about 20 seconds, then crashes with exit code 1.
const lifetimeMs = 18_000 + Math.floor(Math.random() * 4000);
console.log(`up; will crash in ${(lifetimeMs / 1000).toFixed(1)}s`);
setInterval(() => console.log('still fine'), 5000);
setTimeout(() => {
  console.error('FATAL: lost connection to the imaginary database');
  process.exit(1);
}, lifetimeMs);
