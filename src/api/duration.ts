// Durations as Kubernetes prints them:
// - humanDuration / shortHumanDuration: k8s.io/apimachinery/pkg/util/duration
//   (the AGE and LAST SEEN columns of kubectl get);
// - goDurationString: Go's time.Duration.String() ("10s", "1m20s", "5m0s"), which
//   kubelet messages embed (e.g. CrashLoopBackOff's `back-off 5m0s restarting …`).
// All take milliseconds; Go's int(d.Seconds()) truncates toward zero.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** duration.ShortHumanDuration: one unit, truncated (`45s`, `3m`, `5h`, `12d`, `2y`). */
export function shortHumanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) {
    return '<invalid>';
  }
  if (seconds < 0) {
    return '0s';
  }
  if (seconds < 60) {
    return `${seconds}s`;
  }
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 60) {
    return `${minutes}m`;
  }
  const hours = Math.trunc(ms / HOUR);
  if (hours < 24) {
    return `${hours}h`;
  }
  if (hours < 24 * 365) {
    return `${Math.trunc(hours / 24)}d`;
  }
  return `${Math.trunc(ms / HOUR / 24 / 365)}y`;
}

/** duration.HumanDuration: ~2-3 significant figures (`90s`, `5m30s`, `3h20m`, `2d5h`, `3y45d`). */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) {
    return '<invalid>';
  }
  if (seconds < 0) {
    return '0s';
  }
  if (seconds < 60 * 2) {
    return `${seconds}s`;
  }
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = Math.trunc(ms / SECOND) % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) {
    return `${minutes}m`;
  }
  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) {
    return `${hours}h`;
  }
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) {
    return `${Math.trunc(hours / 24)}d`;
  }
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const y = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** `<digits>[.<fraction without trailing zeros>]` of n / 10^prec. */
function fixed(n: number, prec: number): string {
  const unit = 10 ** prec;
  const whole = Math.trunc(n / unit);
  const frac = n % unit;
  if (frac === 0) {
    return String(whole);
  }
  return `${whole}.${String(frac).padStart(prec, '0').replace(/0+$/, '')}`;
}

/** time.Duration.String() of a duration in milliseconds (sub-nanosecond parts are dropped). */
export function goDurationString(ms: number): string {
  let ns = Math.round(ms * 1e6);
  if (ns === 0) {
    return '0s';
  }
  const sign = ns < 0 ? '-' : '';
  ns = Math.abs(ns);
  if (ns < 1e9) {
    if (ns < 1e3) {
      return `${sign}${ns}ns`;
    }
    if (ns < 1e6) {
      return `${sign}${fixed(ns, 3)}µs`;
    }
    return `${sign}${fixed(ns, 6)}ms`;
  }
  const totalSeconds = Math.trunc(ns / 1e9);
  const secNs = ns - totalSeconds * 1e9;
  const h = Math.trunc(totalSeconds / 3600);
  const m = Math.trunc((totalSeconds % 3600) / 60);
  const s = fixed((totalSeconds % 60) * 1e9 + secNs, 9);
  if (h > 0) {
    return `${sign}${h}h${m}m${s}s`;
  }
  if (m > 0) {
    return `${sign}${m}m${s}s`;
  }
  return `${sign}${s}s`;
}

/** printers.go translateTimestampSince: `<unknown>` without a timestamp, else HumanDuration since it. */
export function translateTimestampSince(timestamp: string | null | undefined, nowMs: number): string {
  if (!timestamp) {
    return '<unknown>';
  }
  const t = Date.parse(timestamp);
  if (Number.isNaN(t)) {
    return '<unknown>';
  }
  return humanDuration(nowMs - t);
}
