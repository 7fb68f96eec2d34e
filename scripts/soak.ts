// `npm run soak -- --minutes N`: steady signed traffic with duplicates through the real processes
// while faults strike at random (worker SIGKILLs, Redis and Postgres cut), then a reconciliation
// of events sent, acked, stored, processed and credited. Exits 1 on any difference.
// Traffic goes only to 127.0.0.1; everything it starts it stops, and its database is dropped.
import { parseArgs } from 'node:util';
import {
  type AppProcess,
  type PaymentToSend,
  paymentsWithDuplicates,
  resendUntilAcked,
  STACK_SECRET,
  sendPayments,
  TcpProxy,
  TestStack,
  testServices,
} from '@webhook-inbox/testing';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    rate: { type: 'string', default: '100' },
    workers: { type: 'string', default: '2' },
  },
});
const minutes = Number(values.minutes);
const ratePerSecond = Number(values.rate);
const workerCount = Number(values.workers);
if (!(minutes > 0 && ratePerSecond > 0 && workerCount > 0)) {
  console.error('usage: npm run soak -- --minutes N [--rate EVENTS_PER_SECOND] [--workers N]');
  process.exit(2);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (message: string) => console.log(`${new Date().toISOString()} ${message}`);

const stack = await TestStack.create();
const postgresProxy = await TcpProxy.start('127.0.0.1', 5432);
const redisProxy = await TcpProxy.start('127.0.0.1', 6379);
const viaProxies = {
  DATABASE_URL: postgresProxy.wrap(stack.databaseUrl),
  REDIS_URL: redisProxy.wrap(testServices.redisUrl),
};

let exitCode = 1;
try {
  const ingress = await stack.startIngress(viaProxies);
  const workers: AppProcess[] = [];
  for (let i = 0; i < workerCount; i += 1) workers.push(await stack.startWorker(viaProxies));

  const deadline = Date.now() + minutes * 60_000;
  const faults = { workerKills: 0, redisCuts: 0, postgresCuts: 0 };
  const faulting = (async () => {
    while (Date.now() < deadline - 15_000) {
      await sleep(3_000 + Math.random() * 7_000);
      const pick = Math.random();
      if (pick < 0.5) {
        await stack.killAndReplaceWorker(workers, viaProxies);
        faults.workerKills += 1;
      } else {
        const proxy = pick < 0.75 ? redisProxy : postgresProxy;
        if (proxy === redisProxy) faults.redisCuts += 1;
        else faults.postgresCuts += 1;
        proxy.cut();
        await sleep(1_000 + Math.random() * 3_000);
        proxy.restore();
      }
    }
  })();

  // One-second rounds at the asked rate; a fifth of each round resends earlier events.
  const sent: PaymentToSend[] = [];
  let unacked: PaymentToSend[] = [];
  let requests = 0;
  for (let round = 0; Date.now() < deadline; round += 1) {
    const started = Date.now();
    const fresh = paymentsWithDuplicates(`soak${round}`, Math.ceil(ratePerSecond * 0.8), 0, 50);
    const resends = Array.from(
      { length: Math.floor(ratePerSecond * 0.2) },
      () => sent[Math.floor(Math.random() * sent.length)],
    ).filter((event): event is PaymentToSend => event !== undefined);
    // A provider retries what we refused: so does this driver, in the next round.
    const batch = [...fresh, ...resends, ...unacked];
    const results = await sendPayments(batch, {
      concurrency: 8,
      url: () => ingress.url,
      secret: STACK_SECRET,
    });
    requests += results.length;
    sent.push(...fresh);
    unacked = results.filter((result) => result.status !== 200).map((result) => result.event);
    if (round % 10 === 0)
      log(`sent ${requests} requests, ${sent.length} distinct events, ${unacked.length} to retry`);
    await sleep(Math.max(0, 1_000 - (Date.now() - started)));
  }
  await faulting;
  redisProxy.restore();
  postgresProxy.restore();

  unacked = await resendUntilAcked(
    unacked,
    { concurrency: 8, url: () => ingress.url, secret: STACK_SECRET },
    { rounds: 20, pauseMs: 1_000 },
  );
  log('traffic stopped; waiting for every event to be processed');
  let waitError = '';
  await stack.waitUntilProcessed(sent, 180_000).catch((error: Error) => {
    waitError = error.message;
  });
  const problems = [
    ...(unacked.length > 0 ? [`${unacked.length} events never acked`] : []),
    ...(waitError ? [waitError] : []),
    ...(await stack.reconcile(sent)),
  ];
  const [counts] = await stack.db.rows<{ stored: number; processed: number }>(
    `select count(*)::int as stored, count(*) filter (where status = 'processed')::int as processed
     from webhook_events`,
  );
  console.log(
    JSON.stringify({
      minutes,
      requests,
      distinctEvents: sent.length,
      stored: counts?.stored,
      processed: counts?.processed,
      faults,
      problems: problems.length,
    }),
  );
  for (const problem of problems.slice(0, 20)) console.log(`  ${problem}`);
  console.log(
    problems.length === 0 ? 'reconciled: no differences' : `${problems.length} differences`,
  );
  exitCode = problems.length === 0 ? 0 : 1;
} finally {
  await stack.stop();
  await postgresProxy.close();
  await redisProxy.close();
}
process.exit(exitCode);
