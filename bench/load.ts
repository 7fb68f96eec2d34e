import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Signed requests to replay, one "<signature>\t<body>" per line (see wrk/requests.ts). */
export interface Load {
  readonly file: string;
  readonly warmupFile: string;
}

export interface LoadResult {
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly socketErrors: number;
  /** How often a load thread ran out of lines and started over (its later requests repeat). */
  readonly wraps: number;
}

export interface LoadGenerator {
  readonly name: string;
  run(
    url: string,
    load: Pick<Load, 'file'>,
    seconds: number,
    connections: number,
  ): Promise<LoadResult>;
}

interface RawResult {
  requests: number;
  durationUs: number;
  non2xx: number;
  socketErrors: number;
  p50Us: number;
  p99Us: number;
  wraps: number;
}

/** Both generators print one `LOAD_RESULT {json}` line. */
function parse(output: string): LoadResult {
  const line = output.split('\n').find((l) => l.startsWith('LOAD_RESULT '));
  if (!line) throw new Error(`the load generator printed no result:\n${output}`);
  const raw = JSON.parse(line.slice('LOAD_RESULT '.length)) as RawResult;
  return {
    requests: raw.requests,
    requestsPerSecond: Math.round(raw.requests / (raw.durationUs / 1e6)),
    p50Ms: raw.p50Us / 1000,
    p99Ms: raw.p99Us / 1000,
    non2xx: raw.non2xx,
    socketErrors: raw.socketErrors,
    wraps: raw.wraps,
  };
}

const THREADS = 2;

const wrk: LoadGenerator = {
  name: 'wrk',
  async run(url, { file }, seconds, connections) {
    const args = [
      `-t${THREADS}`,
      `-c${connections}`,
      `-d${seconds}s`,
      '-s',
      'bench/wrk/signed-requests.lua',
      url,
      '--',
      file,
      String(THREADS),
    ];
    const { stdout } = await run('wrk', args, { maxBuffer: 1 << 20 });
    return parse(stdout);
  },
};

// In its own process, so that the generator never shares a thread with the measuring code.
const autocannon: LoadGenerator = {
  name: 'autocannon (separate process)',
  async run(url, { file }, seconds, connections) {
    const args = [
      '--import',
      'tsx',
      'bench/autocannon-load.ts',
      url,
      file,
      String(seconds),
      String(connections),
    ];
    const { stdout } = await run(process.execPath, args, { maxBuffer: 1 << 20 });
    return parse(stdout);
  },
};

function installed(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** wrk when it is installed: it saturates far later than a Node generator on the same cores. */
export function loadGenerator(): LoadGenerator {
  return installed('wrk') ? wrk : autocannon;
}
