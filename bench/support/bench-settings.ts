/** How much each section measures: the full run, or the quick one (`--quick`) that CI runs. */
export interface BenchSettings {
  isQuick: boolean;
  /** The one section to run (`--section <name>`), or every section. */
  section?: string;
  /** Per-request latency of the fake server in sections bootstrap, by-hand, cpu, preload-beside-streams (preloads), in ms. */
  latencyMs: number;
  /** Voices preloaded in sections bootstrap, by-hand. */
  voiceCounts: number[];
  concurrencies: number[];
  /**
   * Interleaved rounds over section bootstrap's matrix at most: a point runs in as many as fit in
   * `roundsBudgetMs` of its ideal time, and at least once.
   */
  rounds: number;
  roundsBudgetMs: number;
  /** Voices of the run against the server that limits requests in flight (section by-hand). */
  limitedVoices: number;
  /** In-flight limit of that server. */
  maxInFlight: number;
  /** Voices and repeats of the CPU comparison (section cpu). */
  cpuVoices: number;
  cpuRepeats: number;
  /** Starts of each app in the fixed-cost comparison (section fixed-cost). */
  fixedCostRepeats: number;
  /** Voices tracked in the memory section (5). */
  memoryVoices: number;
  /** Time tinybench spends on each hot-path task, in ms (section hot-path). */
  hotPathMs: number;
  /** First TTS calls of each kind (section tts-cold-start). */
  ttsRounds: number;
  /** Sessions opened each way in the warm-sessions section. */
  warmSessionRounds: number;
  replicas: { instances: number; voices: number; rateLimitPerSecond: number };
  /** Sections 9 and 10: streams of about `seconds` of audio, sent by the fake in real time. */
  streams: {
    seconds: number;
    /** Streams opened at once (section concurrent-streams), and those also timed under the old socket cap. */
    counts: number[];
    oldCapCounts: number[];
    /** Interleaved rounds at most, as many as fit in `roundsBudgetMs` of a point's ideal time. */
    rounds: number;
    roundsBudgetMs: number;
    /** Streams kept open while `preload()` runs (section preload-beside-streams), and its rounds. */
    besidePreload: number;
    preloadRounds: number;
  };
  /** per-call-cost: sequential calls per batch, and rounds of one batch of each client. */
  perCall: { calls: number; rounds: number };
  /** speaker-flood: distinct unknown speakers, calls of one repeated speaker, calls in flight. */
  flood: { speakers: number; repeats: number; inFlight: number };
  /**
   * Telemetry overhead: a bootstrap of `voices` at `concurrency`, batches of `calls` sequential
   * `stream()` calls and `isReady` timed for `isReadyMs`, each in alternating rounds with the
   * OpenTelemetry SDK registered and without.
   */
  telemetry: {
    voices: number;
    concurrency: number;
    bootstrapRounds: number;
    calls: number;
    callRounds: number;
    isReadyMs: number;
    isReadyRounds: number;
  };
}

const FULL: BenchSettings = {
  isQuick: false,
  latencyMs: 50,
  voiceCounts: [1, 10, 100, 1000],
  concurrencies: [1, 4, 16, 64],
  rounds: 5,
  roundsBudgetMs: 3_000,
  limitedVoices: 1000,
  maxInFlight: 16,
  cpuVoices: 1000,
  cpuRepeats: 5,
  fixedCostRepeats: 20,
  memoryVoices: 10_000,
  hotPathMs: 500,
  ttsRounds: 5,
  warmSessionRounds: 20,
  replicas: { instances: 20, voices: 25, rateLimitPerSecond: 20 },
  streams: {
    seconds: 1,
    counts: [1, 8, 32, 64],
    oldCapCounts: [1, 8, 32, 64],
    rounds: 5,
    roundsBudgetMs: 5_000,
    besidePreload: 32,
    preloadRounds: 10,
  },
  perCall: { calls: 20, rounds: 150 },
  flood: { speakers: 10_000, repeats: 1_000, inFlight: 50 },
  telemetry: {
    voices: 100,
    concurrency: 16,
    bootstrapRounds: 8,
    calls: 500,
    callRounds: 10,
    isReadyMs: 300,
    isReadyRounds: 3,
  },
};

const QUICK: BenchSettings = {
  ...FULL,
  isQuick: true,
  voiceCounts: [1, 10, 50],
  concurrencies: [4, 16, 64],
  rounds: 1,
  limitedVoices: 50,
  cpuVoices: 200,
  cpuRepeats: 2,
  fixedCostRepeats: 5,
  memoryVoices: 1_000,
  hotPathMs: 100,
  ttsRounds: 2,
  warmSessionRounds: 3,
  replicas: { instances: 3, voices: 4, rateLimitPerSecond: 20 },
  streams: {
    ...FULL.streams,
    seconds: 0.3,
    counts: [1, 8, 64],
    oldCapCounts: [1, 8],
    rounds: 3,
    roundsBudgetMs: 1_000,
    preloadRounds: 5,
  },
  perCall: { calls: 10, rounds: 20 },
  flood: { ...FULL.flood, speakers: 2_000 },
  telemetry: {
    ...FULL.telemetry,
    bootstrapRounds: 1,
    calls: 100,
    callRounds: 3,
    isReadyMs: 100,
    isReadyRounds: 1,
  },
};

/** The settings `argv` asks for: `--quick` or the full run, and `--section <name>` or all. */
export function benchSettings(argv: readonly string[]): BenchSettings {
  const settings = argv.includes('--quick') ? QUICK : FULL;
  const at = argv.indexOf('--section');
  if (at === -1) return settings;
  const section = argv[at + 1];
  if (!section || section.startsWith('--')) throw new Error('--section needs a name');
  return { ...settings, section };
}
