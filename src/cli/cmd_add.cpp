// followup add NAME: a new contact; --last brings an old customer into view.
#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "followup/rules/due.hpp"
#include "followup/model/error.hpp"
#include "followup/text/text.hpp"
#include "followup/text/transliterate.hpp"
#include "output.hpp"
#include "validate.hpp"

namespace followup::cli {
namespace {

struct AddOptions {
  std::string name;
  std::vector<std::string> tags;
  std::optional<std::string> every, note, id, last, kind, owner;
  std::vector<std::string> fields, occasions;
};

Contact make_contact(const AddOptions& o, Date today) {
  check_name(o.name, "NAME");
  Contact c;
  c.name = o.name;
  for (const auto& t : o.tags) {
    check_word(t, "--tag");
    if (!c.has_tag(t)) c.tags.push_back(t);
  }
  if (o.every) c.every = parse_duration_option(*o.every, "--every");
  for (const auto& f : o.fields) {
    Field field = parse_field(f, "--field");
    if (c.field(field.key)) throw_usage(fmt::format("the field \"{}\" is given twice", field.key), "--field");
    c.fields.push_back(std::move(field));
  }
  if (o.note) {
    check_text(*o.note, "--note");
    c.notes = *o.note;
  }
  for (const auto& text : o.occasions) {
    Occasion occ = parse_occasion_option(text, "--occasion");
    if (c.occasion(occ.label)) throw_usage(fmt::format("the occasion \"{}\" is given twice", occ.label), "--occasion");
    c.occasions.push_back(std::move(occ));
  }
  if (o.owner && !o.owner->empty()) {
    check_name(*o.owner, "--owner");
    c.owner = *o.owner;
  }
  c.added = today;
  if (o.last) {
    Interaction it;
    it.date = past_date(*o.last, today, "--last");
    it.kind = o.kind.value_or("visit");
    check_word(*it.kind, "--kind");
    c.interactions.push_back(std::move(it));
  }
  return c;
}

void run_add(const AddOptions& o, Context& ctx) {
  Date today = ctx.today();
  Contact fresh = make_contact(o, today);
  if (o.id && !is_valid_id(*o.id))
    throw_usage(fmt::format("\"{}\" is not a valid id", *o.id), "--id", "use lower-case letters, digits and '-'");
  std::string id_base = id_from_name(o.name);
  if (id_base.empty()) id_base = "contact";

  Store store = ctx.store();
  std::string message, same_name, new_id;
  store.update([&](Book& book) {
    Contact c = fresh;
    // Added all the same (two people may share a name), but said: it is
    // more often the same person added twice.
    same_name.clear();
    const std::string folded = fold(c.name);
    for (const Contact& other : book.contacts)
      if (fold(other.name) == folded) {
        same_name = other.id;
        break;
      }
    if (o.id) {
      if (book.find_id(*o.id)) throw_usage(fmt::format("the id \"{}\" is taken", *o.id), "--id");
      c.id = *o.id;
    } else {
      c.id = book.unique_id(id_base);
    }
    RuleSet rules(book);
    DueInfo info = compute_due(c, rules.cadence_for(c), today);
    message = fmt::format("Added {} ({}); ", c.name, c.id);
    new_id = c.id;
    message += info.due_on ? fmt::format("next due {}.", to_iso(*info.due_on)) : "never due.";
    book.contacts.push_back(std::move(c));
    return true;
  });
  *ctx.out << message << '\n';
  if (!same_name.empty())
    *ctx.err << fmt::format("followup: the book already has a contact named {} ({})\n", visible(fresh.name), same_name)
             << fmt::format("hint: if it is the same person, 'followup rm {} --yes' takes the new one out again\n", new_id);
}

} // namespace

void setup_add(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<AddOptions>();
  auto* cmd = app.add_subcommand("add", "Add a contact");
  cmd->add_option("NAME", o->name, "The contact's name (\"Ana López\", \"The Hendersons\")")->required();
  cmd->add_option("-t,--tag", o->tags, "A tag (repeat for several)");
  cmd->add_option("-e,--every", o->every, "Their own cadence: 2w, 3m, 1y, never (overrides the rules)");
  cmd->add_option("-n,--note", o->note, "Notes about the contact");
  cmd->add_option("--id", o->id, "The id (default: from the name, ana-lopez)");
  cmd->add_option("--field", o->fields, "A field KEY=VALUE, e.g. phone=\"+1 555 0100\" (repeatable)");
  cmd->add_option("--occasion", o->occasions,
                  "A yearly day LABEL=DATE: birthday=1989-06-14, or --06-14 without the year (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--owner", o->owner, "Who keeps in touch with them");
  auto* last = cmd->add_option("--last", o->last, "Record a past check-in on this date (YYYY-MM-DD, \"3 weeks ago\")");
  cmd->add_option("-k,--kind", o->kind, "The kind of that past check-in (default: visit)")->needs(last);
  cmd->callback([o, &ctx] { run_add(*o, ctx); });
}

} // namespace followup::cli
