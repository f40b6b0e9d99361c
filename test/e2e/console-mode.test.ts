// Zero setup: no DATABASE_URL, no Slack tokens. The real process starts embedded PostgreSQL,
// loads demo data, answers piped slash commands and exits 0 at EOF; it survives a kill -9.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDataDir, spawnToban, tempDataDir } from '../helpers/toban-process.ts';

const dataDir = tempDataDir();
const env = { TOBAN_DATA_DIR: dataDir, LANG: 'C.UTF-8' };

afterAll(() => {
  // Stop anything a failed test left behind, then remove the data directory and its cluster.
  removeDataDir(dataDir);
});

describe('console mode', () => {
  it('answers piped /oncall and exits 0 at EOF', async () => {
    const toban = await spawnToban([], env);
    toban.proc.stdin.end('/oncall\n/oncall help\n/nope\n');
    expect(await toban.exit()).toBe(0);
    const out = toban.stdout();
    expect(out).toMatch(/今の当番/);
    expect(out).toMatch(/Primary on-call/);
    expect(out).toMatch(/\[1\] 詳細/);
    expect(out).toMatch(/`\/oncall` の使い方/);
    expect(out).toMatch(/`\/nope` というコマンドはありません/);
  }, 120_000);

  it('presses a button from the shell', async () => {
    const toban = await spawnToban([], env);
    toban.proc.stdin.end('/oncall\npress 1\npress 99\n');
    expect(await toban.exit()).toBe(0);
    // mrkdwn read for the terminal: the bold name without its asterisks (stdout is a pipe: no ANSI).
    expect(toban.stdout()).toMatch(/Primary on-call のこの先のシフト/);
    expect(toban.stdout()).not.toMatch(/\*Primary/);
    expect(toban.stdout()).toMatch(/ボタン 99 はありません/);
  }, 60_000);

  it('numbers the messages it prints and answers an unknown verb with the help hint', async () => {
    const toban = await spawnToban([], env);
    toban.proc.stdin.end('/oncall\n/oncall help\nfrobnicate\n');
    expect(await toban.exit()).toBe(0);
    const out = toban.stdout();
    expect(out).toMatch(/^#1 /m);
    expect(out).toMatch(/^#2 /m);
    expect(out).toContain('コンソールは `frobnicate` を知りません。`help` で一覧を表示します。');
  }, 60_000);

  it('lists the console verbs and the registered commands on `help`', async () => {
    const toban = await spawnToban([], env);
    toban.proc.stdin.end('help\n');
    expect(await toban.exit()).toBe(0);
    const out = toban.stdout();
    expect(out).toContain('`shortcut <名前> on <n>`');
    expect(out).toMatch(/スラッシュコマンド: .*\/oncall/);
  }, 60_000);

  it('prints the App Home on `home`', async () => {
    const toban = await spawnToban([], env);
    toban.proc.stdin.end('home\n');
    expect(await toban.exit()).toBe(0);
    expect(toban.stdout()).toMatch(/App ホーム\]/);
    expect(toban.stdout()).not.toMatch(/^! /m);
  }, 60_000);

  it('sends a reaction on a printed message to the handlers', async () => {
    const toban = await spawnToban([], env);
    toban.proc.stdin.end('/oncall\nreact eyes 1\nunreact eyes 1\n');
    expect(await toban.exit()).toBe(0);
    expect(toban.stdout()).toContain('[#1 に :eyes: を付けました]');
    expect(toban.stdout()).toContain('[#1 から :eyes: を外しました]');
    expect(toban.stdout()).not.toMatch(/^! /m);
  }, 60_000);

  it('starts again after being killed with SIGKILL (orphaned database server)', async () => {
    const first = await spawnToban([], env);
    await first.waitFor(/toban コンソール/);
    await first.kill('SIGKILL');
    const second = await spawnToban([], env);
    second.proc.stdin.end('/oncall\n');
    expect(await second.exit()).toBe(0);
    expect(second.stdout()).toMatch(/Primary on-call/);
  }, 120_000);

  it('`toban run` prints one reply, as JSON with --json, with exit codes 0 / 1', () => {
    const run = (args: string[]) =>
      spawnSync(process.execPath, [path.resolve('bin/toban.js'), 'run', ...args], {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024, // the JSON model of a long account ledger holds every line
      });
    const ok = run(['/oncall', '--json']);
    expect(ok.status).toBe(0);
    const model = JSON.parse(ok.stdout) as { rotations: { id: string }[] };
    expect(model.rotations.map((r) => r.id)).toEqual(['primary', 'cs-duty']);
    const bad = run(['/oncall nightly', '--as', 'U0BBB']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/There is no rotation `nightly`/); // U0BBB's demo locale is English
    // A message shortcut needs a message: `toban run` says where it can run instead.
    const message = run(['shortcut', 'investigate_from_message', '--as', 'U0BBB']);
    expect(message.status).toBe(1);
    expect(message.stderr).toMatch(/`investigate_from_message` is a message shortcut/);
    expect(message.stderr).toContain('`shortcut investigate_from_message on <n>`');
    expect(message.stderr).not.toMatch(/does not know/);
    // A reply too long for Slack says its lines are attached: the file is saved and its path given.
    const demo = spawnSync(process.execPath, [path.resolve('bin/toban.js'), 'demo-data'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    });
    expect(demo.status).toBe(0);
    const long = run(['/ledger journal 売掛金 2020-01-01 2026-11-30', '--json']);
    expect(long.status).toBe(0);
    JSON.parse(long.stdout); // stdout stays one JSON value; where the file went is on stderr
    const saved = /: (\/\S+\.csv)\]/.exec(long.stderr);
    expect(saved, long.stderr).not.toBeNull();
    const csv = fs.readFileSync(saved![1]!, 'utf8');
    expect(csv.split('\n').length).toBeGreaterThan(1_000);
    expect(fs.statSync(saved![1]!).mode & 0o777).toBe(0o600);
  }, 120_000);

  it('stops with a message naming the key when toban.yml is malformed', () => {
    const file = path.join(dataDir, 'bad.yml');
    fs.writeFileSync(
      file,
      'channels: { alerts: C1, investigations: C2, incidents: C3, finance: C4 }\nrotations:\n  - { id: a, name: A, members: [U1], shift: daily, handoff: "10:00" }\n  - { id: b, name: B, members: [U2], shift: daily, handoff: "noon" }\n',
    );
    const res = spawnSync(process.execPath, [path.resolve('bin/toban.js')], {
      env: { PATH: process.env.PATH ?? '', ...env, TOBAN_CONFIG: file },
      encoding: 'utf8',
      input: '',
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('rotations[1].handoff: expected "Mon 10:00" or "10:00"');
  });
});

describe('console mode: the investigation filing flow through standard input', () => {
  const flowDir = tempDataDir();
  afterAll(() => removeDataDir(flowDir));

  /** A deadline a week ahead, as the datepicker gives it (YYYY-MM-DD, Tokyo). */
  const nextWeek = new Date(Date.now() + 7 * 86_400_000).toLocaleDateString('sv-SE', {
    timeZone: 'Asia/Tokyo',
  });

  it('opens the form from a shortcut, refuses a past deadline under its field, files, posts and DMs, :eyes: takes it once, and Resolve answers it', async () => {
    // As Chika (support, not finance): a finance filing during the monthly close would be a
    // month-close request, and this test runs on the real clock.
    const toban = await spawnToban(['--as', 'U0CCC'], { TOBAN_DATA_DIR: flowDir, LANG: 'C.UTF-8' });
    const lines = [
      'shortcut investigate_new',
      '顧客A', // customer
      'ORD-00000001', // reference: an order of the demo ledger (an unknown one is refused)
      '1', // category: the first option (決済)
      '返金が二重に見えます', // question
      '2020-01-01', // deadline date: in the past
      '', // deadline time: none (18:00)
      '', // urgency: keeps 通常
      nextWeek, // date asked again after the error
      '', // time asked again too: still none (18:00)
      'react eyes 2',
      'react eyes 2',
      'unreact eyes 2',
      'shortcut investigate_from_message on 3',
      '顧客B',
      '',
      '1',
      'cancel', // at the question, which shows the DM's text as its default
      // The post's buttons are [1]-[5]: Take, Reassign, Waiting for customer, Resolve, File ticket.
      'press 4',
      '返金は一度だけ計上されています', // answer
      '', // cause: none
      'BILL-431', // ticket
      'home',
    ];
    toban.proc.stdin.end(lines.join('\n') + '\n');
    expect(await toban.exit()).toBe(0);
    const out = toban.stdout();
    // The form: each field asked, the error shown under its label, that field asked again.
    expect(out).toMatch(/== 調査依頼 ==/);
    expect(out).toMatch(/! 回答期限（日付）: /);
    expect(out).toMatch(/! 回答期限（時刻）: .*後の時刻を入れるか/);
    // One filing (the demo holds INV-1..23: 20 past requests, then 3 current): the refused submission stored nothing.
    expect(out).toMatch(/#1 INV-24 を依頼しました/);
    expect(out).not.toMatch(/INV-25/);
    // The post in the investigations channel and the DM to the person on duty, numbered #2 and #3.
    expect(out).toMatch(/#2 \[C0INVEST への投稿\]\n== INV-24 調査依頼（決済） ==/);
    expect(out).toMatch(/#3 \[U0[A-Z]+ への DM\]/);
    // The reference's ledger facts in the post's thread, without amounts.
    expect(out).toMatch(/`ORD-00000001` について台帳にあること\n仕訳 \d+ 件/);
    // :eyes: twice: the post is updated once to show the taker; removing it hands it back.
    const updates = out.match(/\[C0INVEST のメッセージ更新\]/g) ?? [];
    expect(updates).toHaveLength(3); // taken, handed back, resolved
    expect(out).toMatch(/メッセージ更新\]\n== INV-24[\s\S]*?状態 対応中\n依頼者 @Chika\n担当 @Chika/);
    // The message shortcut pre-fills the question with the DM's text, then the form is cancelled.
    expect(out).toMatch(/質問\n\[INV-24 の調査依頼があなたに割り当てられました[^\]]*\] > /);
    expect(out).toMatch(/\[調査依頼: キャンセルしました\]/);
    // Resolve from the post: its form asked field by field; the answer DMed to the requester (the
    // console's user filed it), replied in the thread and shown on the post with a Reopen button.
    expect(out).toMatch(/== INV-24 を解決 ==/);
    expect(out).toMatch(
      /への DM\]\nご依頼の調査 INV-24（顧客A）に @Chika が回答しました。[\s\S]*返金は一度だけ計上されています/,
    );
    expect(out).toMatch(
      /C0INVEST への投稿\]\n@Chika が解決しました。\n回答\n[\s\S]*返金は一度だけ計上されています/,
    );
    expect(out).toMatch(/メッセージ更新\]\n== INV-24[\s\S]*?状態 解決済み[\s\S]*?\[\d+\] 再オープン/);
    expect(out).toMatch(/App ホーム\]/);
    expect(out).not.toMatch(/^! (?!回答期限)/m);
  }, 120_000);
});
