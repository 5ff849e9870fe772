// Drives the Lode web console in headless Chromium (playwright-core over Debian's chromium):
// signs in as each role, visits every page, performs one action per page and checks what the
// role may and may not see. Reads its plan (URL, users, expected values) as JSON from argv[2];
// writes a screenshot of every page into plan.shots and prints one line per check. Exits 1 on
// the first failed check, naming it.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const plan = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const log = [];
function check(ok, what) {
  log.push((ok ? 'ok   ' : 'FAIL ') + what);
  console.log((ok ? 'ok   ' : 'FAIL ') + what);
  if (!ok) throw new Error('check failed: ' + what);
}

const browser = await chromium.launch({ executablePath: plan.chromium, args: ['--no-sandbox', '--headless=new'] });
try {
  for (const role of ['admin', 'analyst', 'viewer']) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const shot = async (name) => page.screenshot({ path: path.join(plan.shots, `${role}-${name}.png`), fullPage: true });
    const visit = async (p) => {
      const r = await page.goto(plan.url + p);
      return r.status();
    };
    // the root sends a browser to the console, which asks it to sign in
    await visit('/');
    check(page.url().endsWith('/console/login'), `${role}: / lands on the sign-in page (${page.url()})`);
    await shot('login');
    await page.fill('#user', plan.users[role].name);
    await page.fill('#password', plan.users[role].password);
    await Promise.all([page.waitForNavigation(), page.click('#signin')]);
    check(page.url().endsWith('/console/health'), `${role}: signed in, on the health page`);
    check((await page.textContent('#who')).includes(`(${role})`), `${role}: the header names the role`);
    const cookies = await context.cookies();
    const session = cookies.find(c => c.name === 'lode_console');
    check(session && session.httpOnly && session.sameSite === 'Strict', `${role}: the session cookie is HttpOnly and SameSite=Strict`);

    // health: the engine version as the warehouse reports it; raw quarantine input for admins only
    check((await page.textContent('#engine')).includes(plan.engineVersion), `${role}: health shows engine ${plan.engineVersion}`);
    const health = await page.content();
    check(health.includes(plan.quarantineReason), `${role}: health lists quarantine reason ${plan.quarantineReason}`);
    check(health.includes(plan.quarantineSecret) === (role === 'admin'), `${role}: raw quarantine input ${role === 'admin' ? 'shown' : 'hidden'}`);
    check((await page.$$('svg.spark')).length >= 1, `${role}: health draws the ingest chart`);
    await shot('health');

    // data quality
    check(await visit('/console/quality') === 200, `${role}: data quality answers 200`);
    await shot('quality');

    // tags: admins retire and enable again; others have no such buttons
    check(await visit('/console/tags') === 200, `${role}: tags answers 200`);
    const retireButtons = await page.$$(`tr[data-tag="${plan.tag}"] button.retire`);
    if (role === 'admin') {
      check(retireButtons.length === 1, `admin: tag ${plan.tag} has a Retire button`);
      await Promise.all([page.waitForNavigation(), retireButtons[0].click()]);
      check((await page.textContent('#done')).includes(`retired ${plan.tag}`), 'admin: retiring reports done');
      check((await page.textContent(`tr[data-tag="${plan.tag}"] td.status`)).trim() === 'retired', `admin: ${plan.tag} shows retired`);
      fs.writeFileSync(path.join(plan.shots, 'retired.txt'), plan.tag);
      await shot('tags-retired');
      // the test checks the warehouse while the tag is retired, then asks for it back
      await waitFor(path.join(plan.shots, 'retired.checked'));
      await Promise.all([page.waitForNavigation(), page.click(`tr[data-tag="${plan.tag}"] button.enable`)]);
      check((await page.textContent(`tr[data-tag="${plan.tag}"] td.status`)).trim() === 'active', `admin: ${plan.tag} is active again`);
    } else {
      check(retireButtons.length === 0 && (await page.$$('button.enable')).length === 0, `${role}: no retire or enable buttons`);
    }
    await shot('tags');

    // people: admins and analysts; the analyst sees the pseudonym, never the raw id
    const peopleStatus = await visit('/console/people?q=' + encodeURIComponent(role === 'admin' ? plan.carol.rawId : plan.carol.person));
    if (role === 'viewer') {
      check(peopleStatus === 403, 'viewer: people is refused (403)');
      check(!(await page.content()).includes(plan.carol.person), 'viewer: no person shown');
      await shot('people-refused');
    } else {
      check(peopleStatus === 200, `${role}: people answers 200`);
      check((await page.textContent('#person')).trim() === plan.carol.person, `${role}: found ${plan.carol.person}`);
      const ids = (await page.$$eval('#ids td.id', tds => tds.map(t => t.textContent.trim())));
      if (role === 'admin') {
        check(ids.includes(plan.carol.rawId), `admin: sees the raw id ${plan.carol.rawId}`);
      } else {
        check(ids.includes(plan.carol.maskedId), `analyst: sees the pseudonym ${plan.carol.maskedId}`);
        check(!(await page.content()).includes(plan.carol.rawId), 'analyst: the raw id appears nowhere on the page');
        check(!(await page.content()).includes('erase-preview'), 'analyst: no erase button');
        await visit('/console/people?q=' + encodeURIComponent(plan.carol.rawId));
        check((await page.$$('#nobody')).length === 1, 'analyst: searching the raw id finds nobody');
      }
      await shot('people');
      if (role === 'admin') {
        await visit('/console/people?q=' + encodeURIComponent(plan.dave.rawId));
        await Promise.all([page.waitForNavigation(), page.click('#erase-preview')]);
        await shot('erase-confirm');
        await page.fill('#confirm', plan.dave.person);
        await Promise.all([page.waitForNavigation(), page.click('#erase')]);
        check((await page.textContent('#erased')).includes('1 person(s)'), 'admin: erasure of dave reports one person');
        await shot('erased');
      }
    }

    // reports: admins and analysts run one; viewers see the gallery only
    check(await visit('/console/reports') === 200, `${role}: reports answers 200`);
    const run = await page.$$(`tr[data-report="${plan.report}"] button.run`);
    if (role === 'analyst') {
      check(run.length === 1, `analyst: ${plan.report} has Run now`);
      await Promise.all([page.waitForNavigation(), run[0].click()]);
      const done = await page.textContent('#done');
      check(done.startsWith(`${plan.report}: succeeded`), `analyst: the run succeeded (${done})`);
      fs.writeFileSync(path.join(plan.shots, 'report-run.txt'), done);
    } else if (role === 'viewer') {
      check(run.length === 0, 'viewer: no Run now button');
    }
    await shot('reports');

    // SQL playground: the statement runs as the user
    check(await visit('/console/sql') === 200, `${role}: SQL answers 200`);
    await page.fill('#sql', plan.query);
    await Promise.all([page.waitForNavigation(), page.click('#run')]);
    if (role === 'viewer') {
      check((await page.$$('#sql-error')).length === 1, `viewer: the identities query is refused (${(await page.textContent('#sql-error')).slice(0, 120)})`);
    } else {
      const cells = await page.$$eval('#sql-result table tr td', tds => tds.map(t => t.textContent.trim()));
      check(JSON.stringify(cells) === JSON.stringify(plan.queryCells), `${role}: the query answers ${JSON.stringify(plan.queryCells)} (got ${JSON.stringify(cells)})`);
      check((await page.$$('#history tr')).length >= 2, `${role}: the query is in the history`);
    }
    await shot('sql');
    check(await visit('/console/sql/functions') === 200, `${role}: functions answers 200`);
    await shot('functions');

    // signing out ends the session
    await Promise.all([page.waitForNavigation(), page.click('#logout')]);
    check(page.url().endsWith('/console/login'), `${role}: signed out`);
    await visit('/console/health');
    check(page.url().endsWith('/console/login'), `${role}: after sign-out, pages ask to sign in again`);
    await context.close();
  }
} finally {
  await browser.close();
}

async function waitFor(file) {
  for (let i = 0; i < 600; i++) {
    if (fs.existsSync(file)) return;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error('timed out waiting for ' + file);
}
