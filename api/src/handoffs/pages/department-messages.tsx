/** @jsxRuntime automatic @jsxImportSource preact */
import type { ClosedReason, SentRecap } from '../department-link-service'
import type { HandoffStatus } from '@mashangjian/shared'
import { DepartmentLayout } from './department-layout'

/*
 * The pages a link shows when it opens no case: unknown, closed, the recap right after sending, and an action
 * someone else made first. None of them shows anything of the case.
 */

export function UnknownLinkPage() {
  return (
    <DepartmentLayout title="链接无效">
      <h1>链接无效</h1>
      <p>没有找到这个交办链接。请核对链接是否完整，或联系交办的政协委员工作站重新发送。</p>
    </DepartmentLayout>
  )
}

const CLOSED_WORDS: Record<ClosedReason, string> = {
  answered: '这件交办事项已经答复，链接已关闭。',
  returned: '这件交办事项已经退回，链接已关闭。',
  withdrawn: '交办方已撤回这件事项，链接已关闭。',
  expired: '这件事项已经办结或关闭，链接已失效。',
  revoked: '这个链接已停用。如仍需办理，请联系交办的政协委员工作站获取新链接。',
}

export function ClosedLinkPage({ reason }: { reason: ClosedReason }) {
  return (
    <DepartmentLayout title="交办已关闭">
      <h1>交办已关闭</h1>
      <p data-testid="closed-reason">{CLOSED_WORDS[reason]}</p>
      <p class="muted">为保护群众信息，关闭后不再显示事项内容。</p>
    </DepartmentLayout>
  )
}

export function SentPage({ recap }: { recap: SentRecap }) {
  return (
    <DepartmentLayout title={recap.kind === 'answered' ? '答复已提交' : '已退回'}>
      <div class="ok" role="status">
        <h1>{recap.kind === 'answered' ? '答复已提交，谢谢！' : '已退回，谢谢！'}</h1>
        <p>{recap.kind === 'answered' ? '委员会收到通知，并把答复转告群众。' : '交办的委员会收到退回理由，另行处理。'}</p>
      </div>
      {recap.kind === 'answered' ? (
        <dl class="facts">
          <dt>答复内容</dt>
          <dd>{recap.answer}</dd>
          {recap.responderName && (
            <>
              <dt>答复人</dt>
              <dd>{recap.responderName}</dd>
            </>
          )}
          {recap.photoCount > 0 && (
            <>
              <dt>照片</dt>
              <dd>{`${recap.photoCount}张`}</dd>
            </>
          )}
        </dl>
      ) : (
        <dl class="facts">
          <dt>退回理由</dt>
          <dd>{recap.reason}</dd>
          {recap.suggestedDepartment && (
            <>
              <dt>建议承办单位</dt>
              <dd>{recap.suggestedDepartment}</dd>
            </>
          )}
        </dl>
      )}
      <p class="muted">这件交办事项已关闭，链接不能再使用。</p>
    </DepartmentLayout>
  )
}

export function ConflictPage({ status, secret }: { status: HandoffStatus; secret: string }) {
  const words =
    status === 'answered'
      ? '这件事项已经由本单位（可能是同事）答复过了，本次提交没有保存。'
      : status === 'returned'
        ? '这件事项已经被退回，本次提交没有保存。'
        : '这件事项的状态刚刚发生了变化，本次提交没有保存。请重新打开链接查看。'
  return (
    <DepartmentLayout title="无法提交">
      <h1>无法提交</h1>
      <p class="alert" role="alert">
        {words}
      </p>
      {(status === 'sent' || status === 'acknowledged') && (
        <p>
          <a href={`/d/${secret}`}>返回交办页面</a>
        </p>
      )}
    </DepartmentLayout>
  )
}
