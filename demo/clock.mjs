// Demo clock: one line a second, with a progress bar redrawn in place with \r.
let tick = 0;
setInterval(() => {
  tick += 1;
  if (tick % 10 === 0) {
    for (let i = 0; i <= 10; i++) process.stdout.write(`\rsyncing [${'#'.repeat(i)}${'.'.repeat(10 - i)}] ${i * 10}%`);
    process.stdout.write('\n');
  } else {
    console.log(`tick ${tick} ${new Date().toISOString()}`);
  }
}, 1000);
