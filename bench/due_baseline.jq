# The due list as a jq user would write it (tag rules, d/w units), tsv:
# id, name, due, overdue, last, rule. Run: jq -r --arg today DATE -f due_baseline.jq BOOK
def days(s): (s | capture("^(?<n>[0-9]+)(?<u>[dw])$")) as $c | ($c.n | tonumber) * ({"d": 1, "w": 7}[$c.u]);
def epoch_day(d): (d + "T00:00:00Z" | fromdateiso8601) / 86400 | floor;
epoch_day($today) as $now
| .rules as $rules
| [ .contacts[] as $c
    | ( if $c.every then {name: "own", every: $c.every, counts: $c.counts}
        else ([ $rules[] | select((.match | split(" or ") | map(ltrimstr("tag:"))) as $want
                 | any($want[]; . as $t | (($c.tags // []) | index($t)) != null)) ] | first)
             // {name: "default", every: "30d"}
        end ) as $r
    | ([ $c.interactions[]? | select($r.counts == null or (.kind as $k | $r.counts | index($k)) != null) | .date ]
       | max // "") as $last
    | (epoch_day(if $last == "" then $c.added else $last end) + days($r.every)) as $plain
    | (if $c.snoozed_until then ([$plain, epoch_day($c.snoozed_until)] | max) else $plain end) as $due
    | select($due <= $now)
    | {id: $c.id, name: $c.name, due: ($due * 86400 | todate | .[0:10]), overdue: ($now - $due), last: $last, rule: $r.name} ]
| sort_by(-.overdue, .name)
| .[] | "\(.id)\t\(.name)\t\(.due)\t\(.overdue)\t\(.last)\t\(.rule)"
