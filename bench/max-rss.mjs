// Preload (`node --import ./bench/max-rss.mjs …`): prints the process's peak resident memory at exit.
process.on('exit', () => {
  process.stderr.write(`max-rss-bytes ${process.resourceUsage().maxRSS * 1024}\n`);
});
