-- load_ask.lua: wrk script for bench/load.sh. Each request asks one of a
-- fixed set of consumer questions (MedQuAD-style), in turn, as GET
-- /api/ask?q=...&audience=..., so the server's answer cache, if any, cannot
-- serve one repeated question.
local questions = {
  "What causes muscle cramps?",
  "What are the symptoms of high blood pressure?",
  "How is type 2 diabetes treated?",
  "What is glaucoma?",
  "Who is at risk for osteoporosis?",
  "How to prevent kidney stones?",
  "What are the treatments for asthma?",
  "Is psoriasis inherited?",
  "What causes leg cramps at night?",
  "How is hepatitis C diagnosed?",
  "What are the side effects of statins?",
  "What is the outlook for people with Parkinson's disease?",
}
local audiences = { "patient", "clinician" }
local n = 0

local function encode(s)
  return (s:gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

request = function()
  n = n + 1
  local q = questions[(n % #questions) + 1]
  local a = audiences[(n % #audiences) + 1]
  return wrk.format("GET", "/api/ask?q=" .. encode(q) .. "&audience=" .. a)
end

-- The report line is load_static.lua's done(); load.sh runs wrk from the
-- repository root.
dofile("bench/load_static.lua")
