/** @jsxRuntime automatic @jsxImportSource preact */
import type { DepartmentPageModel } from '../department-link-service'
import type { DepartmentIssue } from '../department-input'
import { DepartmentLayout, beijingTime } from './department-layout'
import { AcknowledgeForm, AnswerForm, ReturnForm } from './department-forms'

export type DepartmentNotice = 'acknowledged'

/**
 * An open hand-off as the department sees it on a phone: what is asked, by when, the resident's report (numbers
 * masked, see department-link-service.ts) with its photos and place, and the three actions as plain forms.
 */
export function DepartmentPage({
  model: m,
  secret,
  notice,
  issues = [],
  values = {},
  photosDropped = false,
}: {
  model: DepartmentPageModel
  secret: string
  notice?: DepartmentNotice
  issues?: DepartmentIssue[]
  values?: Record<string, string>
  photosDropped?: boolean
}) {
  const base = `/d/${secret}`
  const issueMap = new Map(issues.map((i) => [i.field, i]))
  return (
    <DepartmentLayout title="交办事项" footer={m.committeeName}>
      {notice === 'acknowledged' && (
        <div class="ok" role="status">
          <p>已签收。办理后请在下面答复。</p>
        </div>
      )}
      {issues.length > 0 && (
        <div class="alert" role="alert">
          <p>提交没有成功，请修改下面标出的内容。</p>
        </div>
      )}
      <h1>交办事项</h1>
      <p class="muted">
        {m.committeeName} 交 {m.departmentName}
      </p>
      <p>
        编号
        <br />
        <span class="no">{m.publicNo}</span>
      </p>
      <dl class="facts">
        {m.categoryName && (
          <>
            <dt>类别</dt>
            <dd>{m.categoryName}</dd>
          </>
        )}
        <dt>交办问题</dt>
        <dd data-testid="question">{m.question}</dd>
        <dt>交办人</dt>
        <dd>{[m.askedBy && `${m.askedBy}委员`, m.stationName].filter(Boolean).join('，') || m.committeeName}</dd>
        <dt>答复期限</dt>
        <dd>{m.overdue ? <span class="overdue">{beijingTime(m.dueAt)}（已超期，仍可答复）</span> : beijingTime(m.dueAt)}</dd>
        <dt>状态</dt>
        <dd>{m.status === 'sent' ? '待签收' : '已签收，待答复'}</dd>
      </dl>
      <h2>群众反映</h2>
      <p class="quote" data-testid="description">
        {m.description}
      </p>
      {m.locationText && (
        <p>
          <b>地点：</b>
          {m.locationText}
        </p>
      )}
      {m.photoIds.length > 0 && (
        <ul class="thumbs" aria-label="群众上传的照片">
          {m.photoIds.map((id, i) => (
            <li>
              <a href={`${base}/photos/${id}`}>
                <img src={`${base}/photos/${id}`} alt={`照片${i + 1}`} width={96} height={96} loading="lazy" />
              </a>
            </li>
          ))}
        </ul>
      )}
      <p class="hint">为保护群众隐私，电话和身份证号已隐去；需要联系群众的，请通过交办的委员。</p>
      {m.status === 'sent' && <AcknowledgeForm action={`${base}/acknowledge`} />}
      <AnswerForm action={`${base}/answer`} values={values} issues={issueMap} photosDropped={photosDropped} />
      <ReturnForm action={`${base}/return`} values={values} issues={issueMap} />
    </DepartmentLayout>
  )
}
