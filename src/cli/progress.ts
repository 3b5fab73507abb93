/** A progress bar on standard error, drawn only for a person at a terminal. */
export interface ProgressBar {
  update(done: number): void;
  finish(): void;
}

const BAR_WIDTH = 30;

/**
 * A text progress bar redrawn in place; silent when `enabled` is false (not a TTY, or --json).
 *
 * @example const bar = createProgressBar({ label: 'loans', total: 1000, enabled: process.stderr.isTTY, write }); bar.update(500); bar.finish();
 */
export function createProgressBar(options: { label: string; total: number; enabled: boolean; write: (text: string) => void }): ProgressBar {
  let lastDrawMs = 0;
  const draw = (done: number) => {
    const share = options.total > 0 ? Math.min(1, done / options.total) : 1;
    const filled = Math.round(share * BAR_WIDTH);
    options.write(`\r${options.label} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${done}/${options.total} ${Math.round(share * 100)}%`);
  };
  return {
    update(done) {
      if (!options.enabled) return;
      const now = Date.now();
      if (now - lastDrawMs < 100 && done < options.total) return;
      lastDrawMs = now;
      draw(done);
    },
    finish() {
      if (!options.enabled) return;
      draw(options.total);
      options.write('\n');
    },
  };
}
