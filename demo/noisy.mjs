// Demo noisy process: every few seconds a burst of lines on stdout and stderr.
let burst = 0;
setInterval(() => {
  burst += 1;
  for (let i = 1; i <= 25; i++) {
    const stream = i % 5 === 0 ? process.stderr : process.stdout;
    stream.write(`burst ${burst} line ${i}/25 ${'~'.repeat(i % 40)}\n`);
  }
}, 4000);
