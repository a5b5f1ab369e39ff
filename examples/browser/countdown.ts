/**
 * A button that stays disabled until a moment has passed, showing the seconds left in its label:
 * "Resend code (0:27)". The page uses one for "Resend code" (the backend's resend interval) and
 * one for "Send code" after a 429 (the error's `retryAfterMs`). It reads the time from `Date.now()`
 * on every tick, so a throttled background tab or a test's fake clock still shows the truth.
 */

/** `m:ss` for a number of whole seconds. */
export function formatWait(seconds: number): string {
  const whole = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** A countdown on one button. `blocked` tells the page whether it may enable the button. */
export class Countdown {
  private deadline = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly button: HTMLButtonElement,
    private readonly label: string,
    /** Called when the wait is over, so the page can enable the button again. */
    private readonly onDone: () => void,
  ) {}

  /** Whether the wait is still running. */
  get blocked(): boolean {
    return this.deadline > Date.now();
  }

  /** Starts (or restarts) the wait: `ms` from now. A wait of 0 or less ends at once. */
  start(ms: number): void {
    this.deadline = Date.now() + ms;
    this.stopTimer();
    this.tick();
    if (this.blocked) this.timer = setInterval(() => this.tick(), 250);
  }

  /** Ends the wait now (e.g. when the code is verified and the button goes away). */
  stop(): void {
    this.deadline = 0;
    this.stopTimer();
    this.render();
  }

  private tick(): void {
    if (!this.blocked) {
      this.stop();
      this.onDone();
      return;
    }
    this.render();
  }

  private render(): void {
    const left = (this.deadline - Date.now()) / 1000;
    this.button.textContent = this.blocked ? `${this.label} (${formatWait(left)})` : this.label;
    this.button.dataset.waitSeconds = this.blocked ? String(Math.ceil(left)) : '';
    if (this.blocked) this.button.disabled = true;
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
