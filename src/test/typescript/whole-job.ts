// A whole job driven through the typescript-fetch client generated from the service's API
// document, as a user would write it: no hand-written types, casts or requests. Every check
// throws; GeneratedTypeScriptClientTest runs this with the service's URL and the test image.
//
//   node dist/whole-job.js http://127.0.0.1:8080 busybox:1.36

import assert from "node:assert/strict";
import {
    Configuration,
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

async function main(): Promise<void> {
    await wholeJob();
    await cancel();
    await badSubmission();
}

main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});
