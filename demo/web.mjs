// Demo web server: answers on $PORT, logs each request, and calls itself now and then.
import http from 'node:http';

const port = Number(process.env.PORT ?? 5000);
let hits = 0;
const server = http.createServer((req, res) => {
  hits += 1;
  const started = process.hrtime.bigint();
  const body = req.url === '/health' ? 'ok\n' : `hello from ${process.env.PS ?? 'web'} (#${hits})\n`;
  res.writeHead(200, {'content-type': 'text/plain'});
  res.end(body, () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`\x1b[32m${req.method}\x1b[0m ${req.url} 200 ${ms.toFixed(2)}ms`);
  });
});
server.listen(port, () => console.log(`listening on http://localhost:${port}`));

const paths = ['/', '/health', '/users/42', '/orders?page=2'];
setInterval(() => {
  http.get(`http://localhost:${port}${paths[hits % paths.length]}`, (res) => res.resume()).on('error', (error) => {
    console.error(`self-request failed: ${error.message}`);
  });
}, 2000);
process.on('SIGTERM', () => {
  console.log('SIGTERM: closing the server');
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 500).unref();
});
