import { MAX_IMAGES } from '../attachments/image-processing'

/** A field problem on the department page, in Chinese (the page has no other language). */
export interface DepartmentIssue {
  field: 'answer' | 'responderName' | 'reason' | 'suggestedDepartment' | 'photos' | `photo${number}`
  message: string
}

export const ANSWER_MIN = 5
export const ANSWER_MAX = 2000
export const REASON_MIN = 2
export const REASON_MAX = 500
const NAME_MAX = 50
const DEPARTMENT_MAX = 100

export interface AnswerInput {
  answer: string
  responderName: string | null
}
export interface ReturnInput {
  reason: string
  suggestedDepartment: string | null
}

/** Length in characters as people count them (a Chinese character is one, so is an emoji). */
const chars = (s: string) => [...s].length
const optional = (v: string | undefined) => v?.trim() || null

function lengthIssue(field: DepartmentIssue['field'], value: string, min: number, max: number, what: string): DepartmentIssue | undefined {
  if (chars(value) < min) return { field, message: value ? `${what}至少写${min}个字` : `请填写${what}` }
  if (chars(value) > max) return { field, message: `${what}最多${max}个字（现在${chars(value)}个）` }
  return undefined
}

export function checkAnswer(fields: Record<string, string>, photoCount: number): { value: AnswerInput; issues: DepartmentIssue[] } {
  const answer = (fields.answer ?? '').trim()
  const responderName = optional(fields.responderName)
  const issues = [
    lengthIssue('answer', answer, ANSWER_MIN, ANSWER_MAX, '答复内容'),
    responderName && chars(responderName) > NAME_MAX ? { field: 'responderName' as const, message: `答复人最多${NAME_MAX}个字` } : undefined,
    photoCount > MAX_IMAGES ? { field: 'photos' as const, message: `最多上传${MAX_IMAGES}张照片` } : undefined,
  ].filter((i) => i !== undefined)
  return { value: { answer, responderName }, issues }
}

export function checkReturn(fields: Record<string, string>): { value: ReturnInput; issues: DepartmentIssue[] } {
  const reason = (fields.reason ?? '').trim()
  const suggestedDepartment = optional(fields.suggestedDepartment)
  const issues = [
    lengthIssue('reason', reason, REASON_MIN, REASON_MAX, '退回理由'),
    suggestedDepartment && chars(suggestedDepartment) > DEPARTMENT_MAX
      ? { field: 'suggestedDepartment' as const, message: `建议承办单位最多${DEPARTMENT_MAX}个字` }
      : undefined,
  ].filter((i) => i !== undefined)
  return { value: { reason, suggestedDepartment }, issues }
}

export const photoIssue = (index: number, reason: 'type' | 'size'): DepartmentIssue => ({
  field: `photo${index}`,
  message: reason === 'size' ? `第${index}张照片太大（最大8MB），请重新选择` : `第${index}张不是可识别的照片，请重新选择`,
})
