// A whole job driven through the typescript-fetch client generated from the service's API
// document, as a user would write it: no hand-written types, casts or requests. Then a batch
// polled as a roster, files in and out of /job, and a rerun. Every check throws;
// GeneratedTypeScriptClientTest runs this with the service's URL and the test image.
//
//   node dist/whole-job.js http://127.0.0.1:8080 busybox:1.36

import assert from "node:assert/strict";
import {
    Configuration,
    JobSubmission,
    GetStageLogStreamEnum,
    Job,
    JobStatus,
    JobsApi,
    ProblemFromJSON,
    ResponseError,
    StageStatus,
} from "./client";

const [basePath, image] = process.argv.slice(2);
const jobs = new JobsApi(new Configuration({ basePath }));

const ENDED: ReadonlySet<JobStatus> = new Set<JobStatus>([
    JobStatus.Succeeded, JobStatus.Failed, JobStatus.Error, JobStatus.Cancelled,
]);

async function waitForEnd(id: string): Promise<Job> {
    const deadline = Date.now() + 120_000;
    for (;;) {
        const job = await jobs.getJob({ id, wait: 10 });
        if (ENDED.has(job.status)) {
            return job;
        }
        assert.ok(Date.now() < deadline, `job ${id} has not ended: ${job.status}`);
    }
}

async function waitUntil(id: string, what: string, holds: (job: Job) => boolean): Promise<Job> {
    const deadline = Date.now() + 60_000;
    for (;;) {
        const job = await jobs.getJob({ id });
        if (holds(job)) {
            return job;
        }
        assert.ok(Date.now() < deadline, `job ${id}: ${what} never came true`);
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

async function wholeJob(): Promise<void> {
    const submitted = await jobs.submitJob({
        jobSubmission: {
            environ: { GREETING: "hello" },
            stages: [
                {
                    image,
                    entrypoint: ["sh", "-c", "echo $GREETING from TypeScript; echo careful >&2; echo 42 > /job/answer"],
                    memory: "64m",
                    timeout: 30,
                },
                { image, entrypoint: "sh -c 'test \"$(cat /job/answer)\" = 42'", memory: 67108864, logs: false },
            ],
        },
    });
    assert.equal(submitted.status, JobStatus.Queued);

    const ended = await waitForEnd(submitted.id);
    assert.equal(ended.status, JobStatus.Succeeded, `job ended ${ended.status}: ${ended.error}`);
    assert.deepEqual(ended.stages?.map((stage) => stage.status), [StageStatus.Succeeded, StageStatus.Succeeded]);
    assert.ok(ended.finishedAt instanceof Date);
    for (const stage of ended.stages ?? []) {
        assert.ok(stage.timings && stage.timings.create > 0 && stage.timings.run >= 0, `timings ${JSON.stringify(stage.timings)}`);
    }

    const [first, second] = await jobs.getResults({ id: submitted.id });
    assert.equal(first.data.exitCode, 0);
    assert.equal(first.data.status, "exited");
    assert.equal(first.killed, false);
    assert.equal(first.success, true);
    assert.match(first.logs.stdout ?? "", /^\S+ hello from TypeScript\n$/);
    assert.match(first.logs.stderr ?? "", /^\S+ careful\n$/);
    assert.equal(second.success, true);
    assert.equal(second.logs.stdout, null, "a stage with logs: false keeps none");

    const stdout = await jobs.getStageLog({ id: submitted.id, index: 0, stream: GetStageLogStreamEnum.Stdout });
    assert.match(stdout, /^\S+ hello from TypeScript\n$/);
    const page = await jobs.listJobs({ status: JobStatus.Succeeded, limit: 500 });
    const listed = page.jobs.find((job) => job.id === submitted.id);
    assert.ok(listed, `job ${submitted.id} is not among the SUCCEEDED`);
    assert.equal(listed.stages, null, "lists leave the stages out");
    console.log(`job ${submitted.id}: ${ended.status}, stage 0 said: ${stdout.trim()}`);
}

async function cancel(): Promise<void> {
    const submitted = await jobs.submitJob({
        jobSubmission: { stages: [{ image, entrypoint: ["sleep", "30"] }, { image, entrypoint: ["true"] }] },
    });
    await waitUntil(submitted.id, "its first stage runs", (job) => job.stages?.[0].status === StageStatus.Running);

    const answer = await jobs.cancelJobRaw({ id: submitted.id });
    assert.ok([200, 202].includes(answer.raw.status), `cancel answered ${answer.raw.status}`);
    const cancelled = await waitForEnd(submitted.id);
    assert.equal(cancelled.status, JobStatus.Cancelled);
    assert.deepEqual(cancelled.stages?.map((stage) => stage.status), [StageStatus.Cancelled, StageStatus.Skipped]);
    console.log(`job ${submitted.id}: cancel answered ${answer.raw.status}, ended ${cancelled.status}`);
}

async function badSubmission(): Promise<void> {
    const refused = await jobs.submitJob({ jobSubmission: { stages: [{ image, memory: "lots" }] } })
        .then(() => assert.fail("a memory of 'lots' was accepted"), (error: unknown) => error);
    assert.ok(refused instanceof ResponseError, String(refused));
    assert.equal(refused.response.status, 400);
    assert.match(refused.response.headers.get("content-type") ?? "", /^application\/problem\+json/);
    const problem = ProblemFromJSON(await refused.response.json());
    assert.equal(problem.status, 400);
    assert.deepEqual(problem.errors?.map((error) => error.field), ["stages[0].memory"]);
    console.log(`refused: ${problem.title}: ${problem.detail}`);
}

function echo(word: string): JobSubmission {
    return { stages: [{ image, entrypoint: ["echo", word] }] };
}

async function batchAndRoster(): Promise<void> {
    const batch = await jobs.submitBatch({ batchSubmission: { jobs: [echo("alice"), echo("bob")] } });
    const ids = batch.jobs.map((job) => job.id);
    assert.equal(ids.length, 2);
    assert.notEqual(ids[0], ids[1]);
    // Asked the other way round: the roster answers in the order asked, not the order stored.
    const asked = [ids[1], ids[0]];

    const deadline = Date.now() + 120_000;
    let roster: Job[];
    for (;;) {
        roster = (await jobs.listJobs({ ids: asked.join(",") })).jobs;
        if (roster.length === 2 && roster.every((job) => ENDED.has(job.status))) {
            break;
        }
        assert.ok(Date.now() < deadline, `the batch has not ended: ${JSON.stringify(roster.map((job) => job.status))}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(roster.map((job) => job.id), asked);
    assert.deepEqual(roster.map((job) => job.status), [JobStatus.Succeeded, JobStatus.Succeeded]);
    for (const job of roster) {
        assert.deepEqual(job.stages?.map((stage) => stage.exitCode), [0], "a roster's jobs are whole, with their stages");
    }
    const first = await jobs.getStageLog({ id: ids[0], index: 0, stream: GetStageLogStreamEnum.Stdout });
    const second = await jobs.getStageLog({ id: ids[1], index: 0, stream: GetStageLogStreamEnum.Stdout });
    assert.match(first, / alice\n$/, "the batch's first job is alice's");
    assert.match(second, / bob\n$/);
    console.log(`batch ${ids.join(",")}: roster ${roster.map((job) => job.status).join(",")} in the order asked`);
}

/** The regular files of a tar (ustar, as the service writes it) by name, each read as UTF-8. */
function regularFiles(tar: Uint8Array): Map<string, string> {
    const text = (from: number, length: number) =>
        Buffer.from(tar.subarray(from, from + length)).toString("utf8").replace(/\0.*$/s, "");
    const files = new Map<string, string>();
    for (let at = 0; at + 512 <= tar.length && tar[at] !== 0; ) {
        const prefix = text(at + 345, 155);
        const name = (prefix ? prefix + "/" : "") + text(at, 100);
        const size = parseInt(text(at + 124, 12).trim() || "0", 8);
        const type = text(at + 156, 1);
        if (type === "0" || type === "") {
            files.set(name, Buffer.from(tar.subarray(at + 512, at + 512 + size)).toString("utf8"));
        }
        at += 512 + Math.ceil(size / 512) * 512;
    }
    return files;
}

async function filesInAndOut(): Promise<void> {
    const content = "graded by TypeScript\n";
    const submitted = await jobs.submitJob({
        jobSubmission: {
            files: [{ path: "src/main.txt", content: Buffer.from(content).toString("base64"), mode: 0o640 }],
            stages: [{ image, user: "1000", entrypoint: ["sh", "-c", "cp /job/src/main.txt /job/copy.txt"] }],
            keepFiles: true,
        },
    });
    const ended = await waitForEnd(submitted.id);
    assert.equal(ended.status, JobStatus.Succeeded, `job ended ${ended.status}: ${ended.error}`);
    assert.ok(ended.files, "the view says what was kept of /job");
    assert.equal(ended.files.truncated, false);

    const tar = new Uint8Array(await (await jobs.getJobFiles({ id: submitted.id })).arrayBuffer());
    assert.equal(tar.length, ended.files.bytes);
    const files = regularFiles(tar);
    assert.equal(files.get("src/main.txt"), content, `the tar holds ${JSON.stringify([...files.keys()])}`);
    assert.equal(files.get("copy.txt"), content);

    const copy = await jobs.getJobFile({ id: submitted.id, path: "copy.txt" });
    assert.equal(await copy.text(), content);
    const nested = await jobs.getJobFile({ id: submitted.id, path: "src/main.txt" });
    assert.equal(await nested.text(), content, "a file below the top of /job");
    const missing = await jobs.getJobFile({ id: submitted.id, path: "missing.txt" })
        .then(() => assert.fail("a missing file was answered"), (error: unknown) => error);
    assert.ok(missing instanceof ResponseError, String(missing));
    assert.equal(missing.response.status, 404);
    console.log(`job ${submitted.id}: files kept ${[...files.keys()].join(",")}, copy.txt said: ${content.trim()}`);
}

async function rerun(): Promise<void> {
    const first = await jobs.submitJob({ jobSubmission: echo("once"), wait: 30 });
    assert.equal(first.status, JobStatus.Succeeded, `job ended ${first.status}: ${first.error}`);
    const digest = first.stages?.[0].imageDigest;
    assert.ok(digest && digest.includes("sha256:"), `what the original's stage ran: ${digest}`);
    assert.equal(first.rerunOf, null, "the original is no rerun");

    const queued = await jobs.rerunJob({ id: first.id });
    assert.notEqual(queued.id, first.id);
    assert.equal(queued.rerunOf, first.id);
    const again = await waitForEnd(queued.id);
    assert.equal(again.status, JobStatus.Succeeded, `rerun ended ${again.status}: ${again.error}`);
    assert.equal(again.rerunOf, first.id);
    assert.deepEqual(again.stages?.map((stage) => stage.imageDigest), [digest]);
    const stdout = await jobs.getStageLog({ id: again.id, index: 0, stream: GetStageLogStreamEnum.Stdout });
    assert.match(stdout, / once\n$/);
    console.log(`job ${again.id}: rerun of ${again.rerunOf} ran ${digest}`);
}

async function main(): Promise<void> {
    await wholeJob();
    await cancel();
    await badSubmission();
    await batchAndRoster();
    await filesInAndOut();
    await rerun();
}

main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});
