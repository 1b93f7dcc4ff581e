// Demo worker: takes jobs off an imaginary queue and logs colored results.
const colors = {ok: '\x1b[32m', retry: '\x1b[33m', fail: '\x1b[31m'};
const kinds = ['email.send', 'image.resize', 'report.build', 'cache.warm'];
let job = 0;
setInterval(() => {
  job += 1;
  const kind = kinds[job % kinds.length];
  const roll = (job * 7) % 10;
  const result = roll < 7 ? 'ok' : roll < 9 ? 'retry' : 'fail';
  const line = `job #${job} ${kind} ${colors[result]}${result}\x1b[0m in ${(roll * 37) % 400}ms`;
  if (result === 'fail') console.error(line);
  else console.log(line);
}, 1500);
