// word lists for generated records: mostly plain latin text, with some emoji
// and right-to-left (arabic, hebrew) strings so consumers meet real-world
// unicode
import type { Rng } from "./prng.ts"

export const firstNames = [
  "Emily",
  "Iryna",
  "Jessica",
  "Liam",
  "Noah",
  "Olivia",
  "Mateo",
  "Chloé",
  "Søren",
  "Zoë",
  "Aarav",
  "Mei",
  "Kwame",
  "Lucía",
  "Björn",
  "Anaïs",
  "Tomasz",
  "Yuki",
  "Fatima",
  "Diego"
]

export const lastNames = [
  "Smith",
  "Novak",
  "García",
  "Müller",
  "O'Brien",
  "Kowalski",
  "Tanaka",
  "Okafor",
  "Rossi",
  "Dubois",
  "Johansson",
  "Silva",
  "Nguyen",
  "Patel",
  "Kim",
  "Ivanova",
  "Haddad",
  "Cohen",
  "Larsen",
  "Moreau"
]

const rtlNames = ["محمد العلي", "فاطمة الزهراء", "יעל כהן", "דוד לוי", "سارة حداد", "נועה פרץ"]

const emojiBits = ["🚀", "🔥", "✅", "😀", "📦", "🙏", "⚠️", "👩‍💻"]

export const companyWords = [
  "Acme",
  "Globex",
  "Initech",
  "Umbrella",
  "Hooli",
  "Stark",
  "Wayne",
  "Wonka",
  "Tyrell",
  "Cyberdyne",
  "Soylent",
  "Vandelay",
  "Pied Piper",
  "Aperture",
  "Black Mesa",
  "Oceanic",
  "Gringotts",
  "Monarch"
]

export const companySuffixes = ["Inc", "GmbH", "Ltd", "SARL", "BV", "LLC", "AB", "S.p.A."]

const subjectStarts = [
  "Cannot log in to",
  "Refund request for",
  "Question about",
  "Problem with",
  "Feature request:",
  "Invoice missing for",
  "Shipping delay on",
  "Error when exporting",
  "Password reset for",
  "Upgrade to"
]

const subjectThings = [
  "my account",
  "order #4411",
  "the mobile app",
  "the API",
  "billing",
  "the dashboard",
  "SSO",
  "the Pro plan",
  "CSV export",
  "notifications"
]

const rtlSubjects = ["مشكلة في تسجيل الدخول", "طلب استرداد المبلغ", "בעיה בחשבונית", "שאלה לגבי המנוי"]

export const industries = ["Software", "Retail", "Healthcare", "Logistics", "Finance", "Education", null]

export const languages = ["en", "en", "en", "fr", "de", "es", "ar", "he"]

export const timeZones = ["Eastern Time (US & Canada)", "London", "Paris", "Berlin", "Chennai", "Jerusalem", "Tokyo"]

export const tagWords = ["billing", "vip", "urgent", "beta", "churn-risk", "onboarding", "api"]

export const dropdownChoices = ["Hardware", "Software", "Billing", "Other"]

export const personName = (rng: Rng): string => {
  const roll = rng.next()
  if (roll < 0.06) return rng.pick(rtlNames)
  const name = `${rng.pick(firstNames)} ${rng.pick(lastNames)}`
  return roll < 0.1 ? `${name} ${rng.pick(emojiBits)}` : name
}

export const subject = (rng: Rng): string => {
  const roll = rng.next()
  if (roll < 0.05) return rng.pick(rtlSubjects)
  const text = `${rng.pick(subjectStarts)} ${rng.pick(subjectThings)}`
  return roll < 0.12 ? `${text} ${rng.pick(emojiBits)}` : text
}

export const slug = (text: string): string =>
  text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9]+/g, ".")
    .replace(/^\.|\.$/g, "")
    .toLowerCase() || "user"

export const sentence = (rng: Rng): string => {
  const text = `${rng.pick(subjectStarts)} ${rng.pick(subjectThings)}, please advise`
  return rng.chance(0.1) ? `${text} ${rng.pick(emojiBits)}` : text
}

export const address = (rng: Rng): string | null => {
  if (rng.chance(0.3)) return null
  const street = `${rng.int(1, 400)} ${rng.pick(lastNames)} Street`
  return rng.chance(0.5) ? `${street}\nSuite ${rng.int(1, 99)}\nSpringfield` : street
}
