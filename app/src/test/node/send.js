// Sends events through an official tracking SDK to a Lode collector, as an application would,
// and exits non-zero if the SDK reported any delivery error.
// Usage: node send.js <segment|rudder> <collector url> <write key> <events> <id prefix>
'use strict';
const [sdk, url, writeKey, countArg, prefix] = process.argv.slice(2);
const count = Number(countArg);
const errors = [];
let answered = 0;

/** The per-event callback both SDKs call once the batch holding the event was answered. */
function delivered(err) {
  answered++;
  if (err) {
    errors.push(String(err && (err.message || err.reason) || err));
  }
}

function event(i) {
  // a few users, three kinds of call; the messageId and the property name the event for the check
  const userId = `${prefix}-user-${i % 7}`;
  const id = `${prefix}-${i}`;
  if (i % 10 === 0) {
    return ['identify', { userId, messageId: id, traits: { plan: 'pro', sdk_check_id: id } }];
  }
  if (i % 10 === 1) {
    return ['page', { userId, messageId: id, name: 'Pricing', properties: { path: '/pricing', sdk_check_id: id } }];
  }
  return ['track', { userId, messageId: id, event: 'sdk_check', properties: { sdk_check_id: id, price: 9.99, quantity: 1 } }];
}

async function segment() {
  const { Analytics } = require('@segment/analytics-node');
  const analytics = new Analytics({ writeKey, host: url, flushAt: 50, flushInterval: 200, maxRetries: 3 });
  analytics.on('error', (e) => errors.push(String(e && (e.reason || e.message || e.code) || e)));
  for (let i = 0; i < count; i++) {
    const [kind, message] = event(i);
    analytics[kind](message, delivered);
  }
  await analytics.closeAndFlush({ timeout: 60000 });
}

async function rudder() {
  const Analytics = require('@rudderstack/rudder-sdk-node');
  const client = new Analytics(writeKey, {
    dataPlaneUrl: url, flushAt: 50, flushInterval: 200, retryCount: 3, logLevel: 'error',
    errorHandler: (e) => errors.push(String(e && (e.response ? e.response.status + ' ' + JSON.stringify(e.response.data) : e.message) || e)),
  });
  for (let i = 0; i < count; i++) {
    const [kind, message] = event(i);
    client[kind](message, delivered);
  }
  // flush() sends one batch of flushAt events: flush until every event's callback came back
  const deadline = Date.now() + 60000;
  while (answered < count && Date.now() < deadline) {
    await client.flush().catch((e) => errors.push(String(e && e.message || e)));
    await new Promise((r) => setTimeout(r, 20));
  }
}

(sdk === 'segment' ? segment() : sdk === 'rudder' ? rudder() : Promise.reject(new Error(`unknown sdk ${sdk}`)))
  .then(() => {
    if (answered !== count) {
      errors.push(`${count - answered} events were never answered`);
    }
    if (errors.length > 0) {
      console.error(`${sdk}: ${errors.length} delivery errors: ${errors.slice(0, 5).join('; ')}`);
      process.exit(1);
    }
    console.log(`${sdk}: sent ${count}`);
    process.exit(0);
  })
  .catch((e) => {
    console.error(`${sdk}: ${e && e.stack || e}`);
    process.exit(1);
  });
