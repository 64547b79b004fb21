"""A modal form that collects what one action needs and hands it to the core.

Every action modal (sign off, override, skip, block, fail, note, rollback, revoke, who you are)
is this form with its own fields and its own call. The call returns None when the core
journaled the event, or the one-line reason the runbook's rules refuse it; the reason is shown
in the form, which stays open with what was typed, so the technician fixes it and tries again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option


@dataclass(frozen=True)
class FormField:
    """One field: an Input, or a Select when `options` are given ((label, value) pairs), or with
    `inline` the options listed in the form (an OptionList: every choice in sight, no drop-down)."""

    name: str
    label: str
    value: str = ""
    placeholder: str = ""
    options: list[tuple[str, str]] = field(default_factory=list)
    password: bool = False
    inline: bool = False


Submit = Callable[[dict[str, str]], str | None]


class ActionForm(ModalScreen[bool]):
    """Fields, a Save button, and the core's answer."""

    DEFAULT_CSS = """
    ActionForm { align: center middle; }
    ActionForm > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    ActionForm .form-title { text-style: bold; width: 1fr; }
    ActionForm .form-about { color: $text-muted; width: 1fr; }
    ActionForm .form-label { margin-top: 1; color: $text-muted; }
    ActionForm Input, ActionForm Select { width: 1fr; }
    ActionForm Input { background: $boost; }
    ActionForm OptionList { height: auto; max-height: 8; width: 1fr; }
    ActionForm #form-error { color: $error; text-style: bold; width: 1fr; height: auto; }
    ActionForm #form-keys { width: 1fr; text-align: right; margin-top: 1; }
    ActionForm Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    ActionForm Button { margin-left: 1; min-width: 10; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
        # Priority: decided as the key arrives, before the characters typed after it reach a field.
        # Without it, fast typing ("Sam Ode", Tab, "SO") could put "SO" into the name field.
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
        # Enter on a listed choice that is the form's last field saves (a click only chooses)
        Binding("enter", "save_from_list", "Save", show=False, priority=True),
    ]

    def __init__(
        self, title: str, fields: list[FormField], submit: Submit, *, about: str = "", save: str = "Save",
        buttons: bool = True,
    ) -> None:  # fmt: skip
        super().__init__()
        self.form_title = title
        self.fields = fields
        self.submit = submit
        self.about = about
        self.save_label = save
        # without buttons, the form ends in one line of clickable keys (much lighter to start)
        self.buttons = buttons

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.form_title, classes="form-title", markup=False)
            if self.about:
                yield Static(self.about, classes="form-about", markup=False)
            for spec in self.fields:
                yield Label(spec.label, classes="form-label", markup=False, id=f"label-{spec.name}")
                if spec.options and spec.inline:
                    yield OptionList(
                        *(Option(Content(label), id=value) for label, value in spec.options),
                        id=f"field-{spec.name}", compact=True,
                    )  # fmt: skip
                elif spec.options:
                    values = [value for _, value in spec.options]
                    yield Select(
                        [(Content(label), value) for label, value in spec.options],  # text, not markup
                        value=spec.value if spec.value in values else Select.NULL,
                        id=f"field-{spec.name}",
                        prompt=spec.placeholder or "choose",
                        compact=True,
                    )
                else:
                    yield Input(
                        spec.value,
                        placeholder=spec.placeholder,
                        id=f"field-{spec.name}",
                        password=spec.password,
                        compact=True,
                    )
            yield Static("", id="form-error", markup=False)
            if not self.buttons:
                yield Static(
                    Content.from_markup(
                        "[@click=screen.cancel]Cancel (esc)[/]  [b][@click=screen.save]$save (ctrl+s)[/][/]",
                        save=self.save_label,
                    ),
                    id="form-keys",
                )
                return
            with Horizontal():
                yield Button("Cancel (esc)", id="cancel", compact=True)
                yield Button(f"{self.save_label} (ctrl+s)", id="save", variant="primary", compact=True)

    def on_mount(self) -> None:
        for spec in self.fields:
            widget = self.query_one(f"#field-{spec.name}")
            values = [value for _, value in spec.options]
            if isinstance(widget, OptionList) and spec.value in values:  # else the list offers its first
                widget.highlighted = values.index(spec.value)
        for spec in self.fields:
            widget = self.query_one(f"#field-{spec.name}")
            if isinstance(widget, Input) and not widget.value:
                widget.focus()
                return
        if self.buttons:
            self.query_one("#save", Button).focus()
        else:  # everything is filled in: the last field, where Enter saves
            self.query_one(f"#field-{self.fields[-1].name}").focus()

    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for spec in self.fields:
            widget = self.query_one(f"#field-{spec.name}")
            if isinstance(widget, Select):
                out[spec.name] = "" if widget.value is Select.NULL else str(widget.value)
            elif isinstance(widget, OptionList):
                chosen = widget.highlighted_option
                out[spec.name] = (chosen.id or "") if chosen is not None else ""
            elif isinstance(widget, Input):
                out[spec.name] = widget.value
        return out

    def show_error(self, text: str) -> None:
        self.query_one("#form-error", Static).update(f"✘ {text}")

    def action_save(self) -> None:
        why = self.submit(self.values())
        if why is None:
            self.dismiss(True)
        else:
            self.show_error(why)

    def action_cancel(self) -> None:
        self.dismiss(False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """The choice in words beside its label, not by its colour alone (a monochrome screen)."""
        event.stop()
        name = (event.option_list.id or "").removeprefix("field-")
        spec = next((f for f in self.fields if f.name == name), None)
        if spec is not None:
            self.query_one(f"#label-{name}", Label).update(f"{spec.label}: {event.option.id or 'none'}")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save_from_list":  # otherwise Enter goes on to the focused field
            return isinstance(self.focused, OptionList) and self.focused.id == f"field-{self.fields[-1].name}"
        return True

    def action_save_from_list(self) -> None:
        self.action_save()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # a click chooses (the highlight follows it); Enter saves (save_from_list)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter moves to the next text field; Enter on the last one saves (selects keep their value)."""
        event.stop()
        inputs = list(self.query(Input))
        if event.input is inputs[-1]:
            self.action_save()
        else:
            inputs[inputs.index(event.input) + 1].focus()
