// Preloaded into a measured process (`node --require bench/cpuReport.cjs …`): when it exits, writes the CPU time it
// used (user and system, in microseconds) and its peak RSS to the file named by BENCH_CPU_FILE.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  writeFileSync(process.env.BENCH_CPU_FILE, JSON.stringify({ user, system, maxRssKb: process.resourceUsage().maxRSS }));
});
