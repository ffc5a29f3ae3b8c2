// Usage: node play-page.mjs <page URL> <seconds> [profile dir] [script]
// Opens the page in Debian's headless Chromium (/usr/bin/chromium, driven by playwright-core,
// which downloads no browser) in real time, and prints the page's #state JSON every 500 ms,
// one line per sample, for `seconds` seconds; `script`, if given, is evaluated in the page once it has
// loaded (a test's way to make the page misbehave). Exit 0 unless the browser could not be driven.
import { chromium } from "playwright-core";

const [url, secondsArg, profile, script] = process.argv.slice(2);
if (!url || !secondsArg) {
  console.error("usage: node play-page.mjs <page URL> <seconds> [profile dir]");
  process.exit(2);
}
const seconds = Number(secondsArg);
const args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-dev-shm-usage", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--autoplay-policy=no-user-gesture-required", "--window-size=1280,900",
  "--ignore-certificate-errors", // the TLS tests serve a certificate made at test time
  // WebRTC tests: candidates on 127.0.0.1, and a fake camera and microphone for WHIP.
  "--allow-loopback-in-peer-connection", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"];
const options = { executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true, args };
const context = profile
  ? await chromium.launchPersistentContext(profile, options)
  : await (await chromium.launch(options)).newContext();
try {
  const page = context.pages()[0] || await context.newPage();
  page.on("console", (m) => console.error("console." + m.type() + ": " + m.text()));
  page.on("pageerror", (e) => console.error("pageerror: " + e.message));
  await page.goto(url, { waitUntil: "load", timeout: 15000 });
  if (script) {
    await page.evaluate(script);
  }
  const start = Date.now();
  // Exactly two samples per second asked for, on a fixed schedule: reading the page takes time on a
  // busy machine, and "500 ms after the last read" made fewer samples than the tests count on. A
  // sample that is late is taken at once; the run then lasts a little longer than `seconds`.
  for (let k = 1; k <= seconds * 2; k++) {
    await page.waitForTimeout(Math.max(0, start + k * 500 - Date.now()));
    const text = await page.textContent("#state");
    const sample = JSON.parse(text);
    sample.t = (Date.now() - start) / 1000;
    // Which HTTP versions carried the page's requests (the resource timing buffer keeps the first 250).
    sample.protocols = await page.evaluate(() => [...new Set(performance.getEntriesByType("resource").map((e) => e.nextHopProtocol))]);
    console.log(JSON.stringify(sample));
  }
  // A page that keeps an event log (hls.html's window.hlsEvents) has it printed on stderr at the end.
  const events = await page.evaluate(() => window.hlsEvents || []);
  for (const e of events) {
    console.error("event: " + e);
  }
} finally {
  await context.close();
}
