import { type Child, h } from '../../../shared/web/dom.js';
import { ApiError, type ParticipantApi, SessionExpired } from './api.js';
import type { InferenceRun, Submissions, SubmissionView, TestingDataStatus } from './api-types.js';
import {
  formatInterval,
  formatScore,
  formatTime,
  quotaText,
  reportHeadline,
  reportRows,
  runProgressText,
} from './format.js';
import { postToS3, precheckFile, uploadContentType } from './upload.js';

export interface WorkspaceOptions {
  readonly api: ParticipantApi;
  readonly teamId: string;
  /** Where the last upload and run are remembered across reloads. */
  readonly memory: Storage;
  /** Called when the session has run out: the app signs out and says why. */
  readonly onSessionExpired: (message: string) => void;
  /** Waits between polls (tests may shorten it). */
  readonly pollMs?: number;
}

const REMEMBERED = { testingData: 'llm-league.testingDataId', run: 'llm-league.runId' } as const;
const VALIDATION_TIMEOUT_MS = 120_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The signed-in workspace, one step after another: the official questions, the testing data upload
 * and its report, an inference run, the submission, and the history with today's cap.
 */
export function workspaceView(options: WorkspaceOptions): HTMLElement {
  const pollMs = options.pollMs ?? 1000;
  let validTestingDataId: string | undefined;
  let completedRunId: string | undefined;
  let disposed = false;

  /** Runs `action`, showing its failure in `where`; a lapsed session signs out. */
  async function guarded(where: HTMLElement, action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      if (error instanceof SessionExpired) {
        disposed = true;
        options.onSessionExpired(error.message);
        return;
      }
      where.replaceChildren(h('span', { class: 'error', role: 'alert' }, messageOf(error)));
    }
  }

  // 1. The official questions
  const questionsStatus = h('p', { class: 'muted', id: 'questions-status' });
  const downloadButton = h(
    'button',
    { type: 'button', id: 'download-questions' },
    'Download the questions (.jsonl)',
  );
  downloadButton.addEventListener('click', () => {
    downloadButton.disabled = true;
    void guarded(questionsStatus, async () => {
      const set = await options.api.questions();
      const jsonl = set.questions
        .map((q) =>
          JSON.stringify({ id: q.id, prompt: q.prompt, ...(q.category ? { category: q.category } : {}) }),
        )
        .join('\n');
      const link = h('a', {
        href: URL.createObjectURL(new Blob([`${jsonl}\n`], { type: 'application/x-ndjson' })),
        download: `questions-${set.questionSetId}.jsonl`,
      });
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      const categories = new Set(set.questions.map((q) => q.category).filter(Boolean)).size;
      questionsStatus.textContent = `Downloaded ${set.questions.length} questions of set ${set.questionSetId} (${categories} categories). Upload this file as your testing data, or your own prompts in the same format.`;
    }).finally(() => {
      downloadButton.disabled = false;
    });
  });

  // 2. Testing data
  const fileInput = h('input', {
    type: 'file',
    id: 'testing-data-file',
    accept: '.jsonl,.ndjson,.json,.txt,application/x-ndjson,application/json,text/plain',
    class: 'visually-hidden',
  });
  const dropZone = h(
    'label',
    { for: 'testing-data-file', class: 'drop-zone', id: 'drop-zone', tabindex: 0 },
    h('strong', {}, 'Drop a testing-data file here'),
    h(
      'span',
      { class: 'muted' },
      ' or press Enter to choose one. One JSON record per line: {"id", "prompt", "category"?}.',
    ),
  );
  const uploadProgress = h('progress', { id: 'upload-progress', max: 1, value: 0, hidden: true });
  const uploadStatus = h('p', { id: 'upload-status', role: 'status', 'aria-live': 'polite' });
  const report = h('div', { id: 'validation-report' });

  async function upload(file: File) {
    validTestingDataId = undefined;
    refreshButtons();
    report.replaceChildren();
    const refused = precheckFile(file);
    if (refused) {
      uploadStatus.replaceChildren(h('span', { class: 'error', role: 'alert' }, refused));
      return;
    }
    await guarded(uploadStatus, async () => {
      uploadStatus.textContent = `Uploading ${file.name}…`;
      const ticket = await options.api.createUpload({
        fileName: file.name,
        contentType: uploadContentType(file.name),
        size: file.size,
      });
      uploadProgress.hidden = false;
      uploadProgress.value = 0;
      await postToS3(ticket, file, file.name, (share) => {
        uploadProgress.value = share;
      }).finally(() => {
        uploadProgress.hidden = true;
      });
      uploadStatus.textContent = `Uploaded ${file.name}; validating…`;
      options.memory.setItem(REMEMBERED.testingData, ticket.testingDataId);
      await showValidation(ticket.testingDataId, file.name);
    });
  }

  async function showValidation(testingDataId: string, name: string) {
    const deadline = Date.now() + VALIDATION_TIMEOUT_MS;
    let status: TestingDataStatus = await options.api.testingData(testingDataId);
    while (status.status === 'pending' && !disposed) {
      if (Date.now() > deadline)
        throw new Error('Validation is taking too long; reload the page to check again.');
      await sleep(Math.min(pollMs, 500));
      status = await options.api.testingData(testingDataId);
    }
    if (!status.report) return;
    const verdict = reportHeadline(status.report);
    uploadStatus.replaceChildren(
      h('span', { class: status.report.valid ? 'ok' : 'error' }, `${name}: ${verdict}`),
    );
    const rows = reportRows(status.report);
    report.replaceChildren(
      rows.length === 0
        ? ''
        : h(
            'div',
            { class: 'table-scroll' },
            h(
              'table',
              { class: 'report', id: 'report-table' },
              h('caption', { class: 'visually-hidden' }, 'Validation findings, line by line'),
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  h('th', { scope: 'col' }, 'Where'),
                  h('th', { scope: 'col' }, 'Rule'),
                  h('th', { scope: 'col' }, 'What is wrong'),
                ),
              ),
              h(
                'tbody',
                {},
                ...rows.map((row) =>
                  h(
                    'tr',
                    { class: row.severity },
                    h('td', {}, row.where),
                    h('td', {}, h('code', {}, row.code)),
                    h('td', {}, row.message),
                  ),
                ),
              ),
            ),
          ),
    );
    if (status.report.valid) validTestingDataId = testingDataId;
    refreshButtons();
  }

  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (file) void upload(file);
    fileInput.value = '';
  });
  dropZone.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      fileInput.click();
    }
  });
  for (const type of ['dragenter', 'dragover'] as const) {
    dropZone.addEventListener(type, (event) => {
      event.preventDefault();
      dropZone.classList.add('dragging');
    });
  }
  dropZone.addEventListener('dragleave', () => dropZone.classList.remove('dragging'));
  dropZone.addEventListener('drop', (event) => {
    event.preventDefault();
    dropZone.classList.remove('dragging');
    const files = event.dataTransfer?.files;
    if (!files || files.length === 0) return;
    if (files.length > 1) {
      uploadStatus.replaceChildren(h('span', { class: 'error', role: 'alert' }, 'Drop one file at a time.'));
      return;
    }
    const file = files[0];
    if (file) void upload(file);
  });

  // 3. Inference run
  const runButton = h(
    'button',
    { type: 'button', id: 'start-run', disabled: true },
    'Start an inference run',
  );
  const runProgress = h('progress', { id: 'run-progress', max: 1, value: 0, hidden: true });
  const runStatus = h(
    'p',
    { id: 'run-status', role: 'status', 'aria-live': 'polite' },
    'Upload valid testing data first.',
  );

  async function watchRun(run: InferenceRun) {
    let current = run;
    for (;;) {
      runProgress.hidden = false;
      runProgress.max = Math.max(1, current.total);
      runProgress.value = current.done;
      runStatus.replaceChildren(
        h(
          'span',
          { class: current.status === 'failed' ? 'error' : current.status === 'completed' ? 'ok' : '' },
          runProgressText(current),
        ),
      );
      if (current.status === 'completed' || current.status === 'failed' || disposed) break;
      await sleep(pollMs);
      current = await options.api.run(current.runId);
    }
    if (current.status === 'completed') {
      completedRunId = current.runId;
      if (current.model && modelInput.value === '') modelInput.placeholder = current.model;
    }
    refreshButtons();
  }

  runButton.addEventListener('click', () => {
    if (!validTestingDataId) return;
    completedRunId = undefined;
    refreshButtons();
    runButton.disabled = true;
    void guarded(runStatus, async () => {
      const run = await options.api.startRun(validTestingDataId as string);
      options.memory.setItem(REMEMBERED.run, run.runId);
      await watchRun(run);
    }).finally(refreshButtons);
  });

  // 4. Submit
  const modelInput = h('input', { id: 'model-name', maxlength: 128, autocomplete: 'off' });
  const submitButton = h('button', { type: 'button', id: 'submit-run', disabled: true }, 'Submit this run');
  const submitStatus = h('p', { id: 'submit-status', role: 'status', 'aria-live': 'polite' });
  submitButton.addEventListener('click', () => {
    if (!completedRunId) return;
    submitButton.disabled = true;
    void guarded(submitStatus, async () => {
      const { created } = await options.api.submit(
        completedRunId as string,
        modelInput.value.trim() || undefined,
      );
      submitStatus.replaceChildren(
        h(
          'span',
          { class: 'ok' },
          created
            ? 'Submitted. The judge is scoring it; the history below updates by itself.'
            : 'This run was already submitted; it is in the history below.',
        ),
      );
      await refreshHistory();
    }).finally(refreshButtons);
  });

  // 5. History
  const quotaLine = h('p', { id: 'quota' });
  const historyStatus = h('p', { id: 'history-status' });
  const historyBody = h('tbody', { id: 'submissions-body' });
  const refreshButton = h('button', { type: 'button', class: 'secondary', id: 'refresh-history' }, 'Refresh');
  refreshButton.addEventListener('click', () => void refreshHistory());
  let historyTimer: ReturnType<typeof setTimeout> | undefined;

  function submissionRow(submission: SubmissionView): HTMLTableRowElement {
    const { evaluation } = submission;
    const summary = evaluation.summary;
    const kind = evaluation.scoreKind ?? 'win-rate';
    const status: Child[] = [h('span', { class: `pill pill-${evaluation.status}` }, evaluation.status)];
    if (evaluation.reason) status.push(h('div', { class: 'error small' }, evaluation.reason));
    return h(
      'tr',
      { 'data-submission': submission.submissionId },
      h('td', {}, formatTime(submission.submittedAt)),
      h('td', {}, submission.modelName),
      h('td', {}, ...status),
      h('td', { class: 'num' }, formatScore(kind, summary?.score)),
      h('td', { class: 'num' }, formatInterval(kind, summary?.ciLow, summary?.ciHigh)),
      h('td', { class: 'num' }, summary ? String(summary.nQuestions) : '—'),
    );
  }

  async function refreshHistory(): Promise<void> {
    if (historyTimer) clearTimeout(historyTimer);
    historyTimer = undefined;
    await guarded(historyStatus, async () => {
      const listed: Submissions = await options.api.submissions();
      historyStatus.textContent = listed.submissions.length === 0 ? 'No submissions yet.' : '';
      historyBody.replaceChildren(...listed.submissions.map(submissionRow));
      quotaLine.textContent = listed.quota
        ? quotaText(listed.quota)
        : 'Today’s submission cap could not be read.';
      const judging = listed.submissions.some(
        (s) => s.evaluation.status === 'queued' || s.evaluation.status === 'running',
      );
      if (judging && !disposed) historyTimer = setTimeout(() => void refreshHistory(), pollMs * 2);
    });
  }

  function refreshButtons() {
    runButton.disabled = validTestingDataId === undefined;
    submitButton.disabled = completedRunId === undefined;
  }

  const section = (id: string, title: string, ...children: Child[]) =>
    h(
      'section',
      { class: 'card', id, 'aria-labelledby': `${id}-heading` },
      h('h2', { id: `${id}-heading` }, title),
      ...children,
    );

  const view = h(
    'div',
    { class: 'workspace' },
    section(
      'questions',
      '1. Get the official questions',
      h(
        'p',
        {},
        'The questions your model will be judged on (prompts and categories; the reference answers stay with the organiser).',
      ),
      downloadButton,
      questionsStatus,
    ),
    section(
      'testing-data',
      '2. Upload testing data',
      fileInput,
      dropZone,
      uploadProgress,
      uploadStatus,
      report,
    ),
    section(
      'inference',
      '3. Run inference',
      h('p', {}, 'Your model answers every prompt of the validated file.'),
      runButton,
      runProgress,
      runStatus,
    ),
    section(
      'submit',
      '4. Submit to the league',
      h('label', { for: 'model-name' }, 'Model name on the leaderboard (optional)'),
      modelInput,
      submitButton,
      submitStatus,
    ),
    section(
      'history',
      'Your submissions',
      quotaLine,
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { class: 'submissions' },
          h('caption', { class: 'visually-hidden' }, 'Your submissions, newest first'),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'Submitted'),
              h('th', { scope: 'col' }, 'Model'),
              h('th', { scope: 'col' }, 'Status'),
              h('th', { scope: 'col', class: 'num' }, 'Score'),
              h('th', { scope: 'col', class: 'num' }, '95% CI'),
              h('th', { scope: 'col', class: 'num' }, 'Questions'),
            ),
          ),
          historyBody,
        ),
      ),
      historyStatus,
      refreshButton,
    ),
  );

  /** Shows a remembered upload or run again; one that no longer exists is forgotten quietly. */
  async function restore(key: string, where: HTMLElement, show: (id: string) => Promise<void>) {
    const id = options.memory.getItem(key);
    if (!id) return;
    await guarded(where, async () => {
      try {
        await show(id);
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 404)) throw error;
        options.memory.removeItem(key);
      }
    });
  }

  // Pick up where the last visit left off: the last upload's report and the last run.
  void (async () => {
    await refreshHistory();
    await restore(REMEMBERED.testingData, uploadStatus, (id) => showValidation(id, 'Last upload'));
    await restore(REMEMBERED.run, runStatus, async (id) => watchRun(await options.api.run(id)));
  })();

  return view;
}
