// Demo cron job: builds a tiny report and exits; procdeck runs it on its schedule.
const started = Date.now();
const rows = Math.floor(Math.random() * 900) + 100;
console.log(`report: scanning ${rows} orders`);
setTimeout(() => {
  console.log(`report: ${Math.floor(rows * 0.93)} paid, ${Math.ceil(rows * 0.07)} pending (${Date.now() - started}ms)`);
}, 400);
