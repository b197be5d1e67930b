/** The public face of curriculum/grading/: submit a module's work, grade a class, write the CSV, feedback and report. */
export { packSubmission, readSubmission, SUBMISSION_FORMAT, SUBMISSION_MANIFEST, MAX_SUBMISSION_BYTES, type SubmissionManifest, type ReadSubmission } from './archive';
export { submitModule, defaultSandboxDir, type SubmitOptions, type SubmitResult } from './submit';
export { collectSubmissions, type CollectedSubmission, type CollectedClass } from './collect';
export { gradeClass, type GradeOptions, type ClassGrades, type StudentGrade, type ExerciseGrade, type GradedCheck } from './grade';
export { feedbackMarkdown, gradesCsv, studentMessage, feedbackFileName } from './feedback';
export { reportHtml, commonFailures, passRates } from './report';
export { writeGradeOutputs, checkGradeOutputs, type GradeOutputs } from './write';
