/** Family members on this phone, their codes at the gate, and companions at check-in (issue 32). */
export const MEMBERS = {
  membersTitle: { en: 'Family members on this phone', zh: '本机家庭成员' },
  membersNone: {
    en: 'Add a child or an elderly relative without a phone of their own: a nickname and a colour, nothing more.',
    zh: '可为没有手机的孩子或老人添加成员：只需昵称和颜色，无需其他信息。',
  },
  memberAdd: { en: 'Add a family member', zh: '添加家庭成员' },
  memberNickname: { en: 'Nickname (up to 20 characters)', zh: '昵称（最多20个字）' },
  memberColour: { en: 'Colour', zh: '颜色' },
  memberSave: { en: 'Save', zh: '保存' },
  memberRemove: { en: 'Remove', zh: '删除' },
  memberAwayNow: { en: 'Not with me from now', zh: '从现在起不在身边' },
  memberAwayEarlier: { en: 'Was not with me…', zh: '曾不在身边…' },
  memberAwayFrom: { en: 'From', zh: '从' },
  memberAwayTo: { en: 'Until', zh: '到' },
  memberBackNow: { en: 'With me again', zh: '已回到身边' },
  memberIsAway: { en: 'Not with you since {time}', zh: '自{time}起不在您身边' },
  memberAwayPeriod: { en: 'Not with you {from} – {to}', zh: '{from}至{to}不在您身边' },
  memberCodeOf: { en: "{name}'s code · member {k} of {n} on this phone", zh: '{name}的健康码 · 本机成员第{k}位，共{n}位' },
  memberShowCode: { en: "Show {name}'s code", zh: '出示{name}的健康码' },
  memberShowOwn: { en: 'Show my own code', zh: '出示我本人的健康码' },
  memberCanKnow: {
    en: "What a member's code knows: what this phone recorded while the member was with you, and the places you checked in together.",
    zh: '成员健康码知道的：成员在您身边时本机记录的接触，以及你们一起签到的场所。',
  },
  memberCannotKnow: {
    en: 'What it cannot know: anything while the member was away from this phone — a child at school alone is not traced. It is never greener than what this phone knows.',
    zh: '它无法知道的：成员离开本机期间的任何情况——孩子独自在学校时不会被记录。它绝不会比本机所知的更绿。',
  },
  memberAwayUnknown: {
    en: 'While {name} was away from this phone, nothing was recorded: this code cannot say whether {name} met anyone then.',
    zh: '{name}离开本机期间没有为其记录任何接触：此码无法说明{name}那时是否接触过他人。',
  },
  memberTooMany: { en: 'At most {n} family members can be on one phone.', zh: '一部手机最多添加{n}位家庭成员。' },
  memberInvalid: {
    en: 'Use a nickname of 1 to 20 characters and one of the colours shown; periods away lie within the last 14 days.',
    zh: '昵称须为1至20个字，颜色须为所列之一；不在身边的时段须在近14天内。',
  },
  damage_members: {
    en: 'The list of family members on this phone was damaged and is lost: add them again.',
    zh: '本机家庭成员列表已损坏并丢失，请重新添加。',
  },
  memberGone: { en: 'This family member is no longer on this phone.', zh: '该家庭成员已不在本机。' },
  colour_teal: { en: 'Teal', zh: '青色' },
  colour_orange: { en: 'Orange', zh: '橙色' },
  colour_purple: { en: 'Purple', zh: '紫色' },
  colour_blue: { en: 'Blue', zh: '蓝色' },
  colour_pink: { en: 'Pink', zh: '粉色' },
  colour_brown: { en: 'Brown', zh: '棕色' },
  // at the gate
  gateMember: { en: 'Family member {k} of {n} on this phone', zh: '本机家庭成员第{k}位，共{n}位' },
  // at check-in
  checkinWith: { en: 'Who is with you?', zh: '同行人员' },
  checkinWithCount: { en: 'Family members checking in with you: {n}', zh: '与您一同签到的家庭成员：{n}位' },
  checkinWithLine: { en: 'with {names}', zh: '同行：{names}' },
} as const;
