"""First-run wizard: boas-vindas, município, responsáveis, primeiro checklist, resumo.

Nothing is written until Concluir (ux.md §B4): then the user, the profile and the first cycle are
saved and the cycle becomes the active one. Cancelar warns that the answers will be lost. The
"Abrir a Demonstração" path fills the data folder with the fictional municipality instead.
"""

from __future__ import annotations

import importlib.util
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from suas_desktop import APP_NAME
from suas_desktop.domain.clock import SystemClock, today_local
from suas_desktop.domain.cycle import cycle_title
from suas_desktop.domain.deadlines import (
    KeyEvent,
    is_municipal_election_year,
    municipal_election_first_round,
)
from suas_desktop.domain.municipality import format_cnpj
from suas_desktop.domain.passwords import new_recovery_code, password_problems
from suas_desktop.domain.template import CycleKind
from suas_desktop.errors import SuasError, ValidationError
from suas_desktop.ui.app_context import AppContext
from suas_desktop.ui.dialogs.municipality_form import (
    DateField,
    MandatesForm,
    MunicipalityForm,
    field_label,
    format_int,
    help_label,
)
from suas_desktop.ui.error_dialogs import show_error
from suas_desktop.ui.widgets import FieldError

TOTAL_STEPS = 5
PASSWORDS_DIFFER = "As duas senhas digitadas não são iguais."
DEMO_USER = ("Usuário da demonstração", "Demonstração")
ROLE_SUGGESTIONS = (
    "Gestão da Assistência Social",
    "Equipe técnica do FMAS",
    "Vigilância socioassistencial",
    "Secretaria executiva do CMAS",
    "Contabilidade",
    "Controle interno",
)


def demo_available() -> bool:
    return importlib.util.find_spec("suas_desktop.services.demo") is not None


def current_mandate(today: date) -> tuple[date, date]:
    """The municipal mandate running on ``today`` (2025-01-01 … 2028-12-31, the next from 2029)."""
    first = today.year - (today.year - 2001) % 4
    return date(first, 1, 1), date(first + 3, 12, 31)


def _title(step: int, name: str) -> str:
    return f"Etapa {step} de {TOTAL_STEPS}: {name}"


def _scrolling(widget: QWidget) -> QScrollArea:
    """Only at large text sizes does a page need to scroll; clipping would hide fields."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(widget)
    return scroll


def _reason_label() -> QLabel:
    label = QLabel()
    label.setObjectName("muted")
    label.setWordWrap(True)
    label.setAccessibleName("O que falta para avançar")
    return label


# ------------------------------------------------------------------ pages


class WelcomePage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(_title(1, "Boas-vindas"))
        self.setSubTitle("Boas-vindas ao SUAS Desktop.")
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        intro = QLabel(
            "O SUAS Desktop ajuda o órgão gestor da Assistência Social a fechar o ano e a passar a gestão "
            "na troca de mandato, sem esquecer prazos."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        for line in (
            "• Checklists do encerramento do exercício e da transição de mandato, com prazos e a norma "
            "de cada item.",
            "• Cadastros das contas do Fundo Municipal de Assistência Social (FMAS), das prestações de "
            "contas, da rede e da demanda reprimida.",
            "• Relatórios e o Dossiê de Transição, prontos para assinar.",
            "• Funciona sem internet: os dados ficam neste computador, com cópias de segurança.",
        ):
            item = QLabel(line)
            item.setWordWrap(True)
            layout.addWidget(item)
        layout.addSpacing(8)
        question = QLabel("Como você quer começar?")
        question.setObjectName("sectionTitle")
        layout.addWidget(question)
        self.configure = QRadioButton("Configurar meu município")
        self.configure.setChecked(True)
        self.demo = QRadioButton("Abrir a Demonstração")
        group = QButtonGroup(self)
        group.addButton(self.configure)
        group.addButton(self.demo)
        layout.addWidget(self.configure)
        layout.addWidget(
            self._indented(
                "Leva uns 5 minutos. Tenha à mão o código IBGE, a população e os CNPJs da prefeitura "
                "e do FMAS."
            )
        )
        layout.addWidget(self.demo)
        self.demo_help = self._indented(
            "Um município fictício com dados de exemplo, para conhecer o programa antes de usar com "
            "dados reais. Use uma pasta de dados separada para a demonstração."
        )
        layout.addWidget(self.demo_help)
        if not demo_available():
            self.demo.hide()
            self.demo_help.hide()
        layout.addStretch(1)
        self.demo.toggled.connect(self._choice_changed)

    @staticmethod
    def _indented(text: str) -> QWidget:
        wrapper = QWidget()
        row = QHBoxLayout(wrapper)
        row.setContentsMargins(28, 0, 0, 0)
        row.addWidget(help_label(text))
        return wrapper

    def _choice_changed(self) -> None:
        wizard = self.wizard()
        if wizard is not None:
            wizard.setButtonText(
                QWizard.WizardButton.NextButton,
                "Abrir &Demonstração" if self.demo.isChecked() else "&Avançar",
            )

    def validatePage(self) -> bool:
        wizard = self.wizard()
        assert isinstance(wizard, FirstRunWizard)
        if self.demo.isChecked() and not wizard.demo_opened:
            wizard.open_demo()
            return False  # the wizard closes itself when the demo is ready
        return True


class MunicipalityPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(_title(2, "Município e órgão gestor"))
        self.setSubTitle("Dados do município e do Fundo Municipal de Assistência Social (FMAS).")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.form = MunicipalityForm()
        layout.addWidget(_scrolling(self.form), 1)
        self.reason = _reason_label()
        layout.addWidget(self.reason)
        self.form.changed.connect(self._changed)
        self._changed()

    def _changed(self) -> None:
        missing = self.form.missing_labels()
        self.reason.setText(
            "Para avançar, preencha ou corrija: " + ", ".join(missing) + "." if missing else ""
        )
        self.reason.setVisible(bool(missing))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.form.is_valid()

    def initializePage(self) -> None:
        self.form.name_edit.setFocus()


class ResponsiblesPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(_title(3, "Responsáveis"))
        self.setSubTitle("Quem responde pela Assistência Social e pelo conselho, e quem usa este computador.")
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        columns = QHBoxLayout()
        columns.setSpacing(24)
        self.mandates = MandatesForm()
        columns.addWidget(self.mandates, 3)

        user_box = QGroupBox("Quem usa este computador")
        user_layout = QVBoxLayout(user_box)
        user_layout.setSpacing(4)
        self.user_name = QLineEdit()
        self.user_role = QComboBox()
        self.user_role.setEditable(True)
        self.user_role.addItems(ROLE_SUGGESTIONS)
        self.user_role.setCurrentIndex(-1)
        self.user_role.lineEdit().setPlaceholderText("Escolha ou escreva")
        user_layout.addWidget(field_label("Seu n&ome", self.user_name))
        user_layout.addWidget(self.user_name)
        self.user_name_error = FieldError()
        user_layout.addWidget(self.user_name_error)
        user_layout.addSpacing(8)
        user_layout.addWidget(field_label("Sua f&unção", self.user_role))
        user_layout.addWidget(self.user_role)
        self.user_role_error = FieldError()
        user_layout.addWidget(self.user_role_error)
        user_layout.addSpacing(8)
        self.user_password = QLineEdit()
        self.user_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.user_password_repeat = QLineEdit()
        self.user_password_repeat.setEchoMode(QLineEdit.EchoMode.Password)
        user_layout.addWidget(field_label("Crie a sua &senha", self.user_password))
        user_layout.addWidget(self.user_password)
        user_layout.addWidget(field_label("Re&pita a senha", self.user_password_repeat))
        user_layout.addWidget(self.user_password_repeat)
        self.user_password_error = FieldError()
        user_layout.addWidget(self.user_password_error)
        user_layout.addWidget(
            help_label(
                "O nome aparece no histórico de cada alteração (trilha de auditoria). Você será o(a) "
                "administrador(a): em Configurações › Usuários cria as contas das outras pessoas. A senha "
                "tem pelo menos 8 caracteres; uma frase curta é fácil de lembrar."
            )
        )
        user_layout.addStretch(1)
        columns.addWidget(user_box, 2)
        holder = QWidget()
        holder.setLayout(columns)
        layout.addWidget(_scrolling(holder), 1)
        self.reason = _reason_label()
        layout.addWidget(self.reason)

        self._user_touched: set[str] = set()
        self.mandates.changed.connect(self._changed)
        self.user_name.textChanged.connect(lambda _: self._changed())
        self.user_role.currentTextChanged.connect(lambda _: self._changed())
        self.user_name.editingFinished.connect(lambda: self._user_left("name"))
        self.user_role.lineEdit().editingFinished.connect(lambda: self._user_left("role"))
        for edit in (self.user_password, self.user_password_repeat):
            edit.textChanged.connect(lambda _: self._changed())
        self.user_password_repeat.editingFinished.connect(lambda: self._user_left("password"))
        self._changed()

    def user_errors(self) -> dict[str, str]:
        # The same rules as LocalSettingsService.set_current_user, checked before anything is saved.
        name = " ".join(self.user_name.text().split())
        errors = {}
        if len(name) < 3:
            errors["name"] = "Informe o seu nome (pelo menos 3 letras)."
        elif len(name) > 120:
            errors["name"] = "O nome deve ter no máximo 120 letras."
        if not self.user_role.currentText().strip():
            errors["role"] = "Informe a sua função (ex.: Equipe técnica do FMAS)."
        password = self.user_password.text()
        problem = password_problems(password, name=name)
        if problem:
            errors["password"] = problem
        elif password != self.user_password_repeat.text():
            errors["password"] = PASSWORDS_DIFFER
        return errors

    def show_user_errors(self, errors: dict[str, str]) -> None:
        self.user_name_error.show_error(errors.get("name", ""))
        self.user_role_error.show_error(errors.get("role", ""))
        self.user_password_error.show_error(errors.get("password", ""))

    def _user_left(self, name: str) -> None:
        self._user_touched.add(name)
        errors = self.user_errors()
        self.show_user_errors({k: v for k, v in errors.items() if k in self._user_touched})

    def _changed(self) -> None:
        missing = self.mandates.missing_labels()
        errors = self.user_errors()
        if "name" in errors:
            missing.append("Seu nome")
        if "role" in errors:
            missing.append("Sua função")
        if "password" in errors:
            missing.append("Sua senha")
        self.reason.setText(
            "Para avançar, preencha ou corrija: " + ", ".join(missing) + "." if missing else ""
        )
        self.reason.setVisible(bool(missing))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.mandates.is_valid() and not self.user_errors()


class FirstChecklistPage(QWizardPage):
    CLOSING, TRANSITION, LATER = "closing", "transition", "later"

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(_title(4, "Primeiro checklist"))
        self.setSubTitle("Escolha por onde começar. Você pode iniciar outros checklists depois.")
        layout = QVBoxLayout(self)
        layout.setSpacing(8)

        self.closing = QRadioButton("Iniciar encerramento do exercício")
        self.closing.setChecked(True)
        self.closing_year = QComboBox()
        for year in range(today.year + 1, today.year - 3, -1):
            self.closing_year.addItem(str(year), year)
        self.closing_year.setCurrentIndex(self.closing_year.findData(today.year))
        self.closing_year.setAccessibleName("Ano do exercício a encerrar")
        layout.addWidget(self.closing)
        layout.addLayout(self._indented_row("&Exercício (ano)", self.closing_year))
        layout.addWidget(
            self._indented(
                help_label(
                    "O checklist do fechamento do ano: contas e saldos do FMAS, prestações de contas, "
                    "planejamento, conselho e sistemas."
                )
            )
        )
        layout.addSpacing(8)

        self.transition = QRadioButton("Iniciar transição de mandato")
        self.transition_year = QComboBox()
        next_election = today.year + (-today.year) % 4
        for year in (next_election, next_election - 4):
            self.transition_year.addItem(f"Transição {year}→{year + 1} (eleição de {year})", year)
        self.transition_year.setAccessibleName("Mandato que termina")
        self.election_date = DateField()
        self.election_date.set_date(municipal_election_first_round(next_election))
        self._election_edited = False
        self.election_date.textEdited.connect(lambda _: setattr(self, "_election_edited", True))
        self.transition_year.currentIndexChanged.connect(self._transition_year_changed)
        layout.addWidget(self.transition)
        layout.addLayout(self._indented_row("&Mandato que termina", self.transition_year))
        layout.addLayout(self._indented_row("Data do &resultado da eleição", self.election_date))
        self.election_error = FieldError()
        layout.addWidget(self._indented(self.election_error))
        layout.addWidget(
            self._indented(
                help_label(
                    "Já vem com o dia do 1º turno (primeiro domingo de outubro). Se houve 2º turno ou a "
                    "proclamação foi em outro dia, corrija: vários prazos da transição contam dessa data."
                )
            )
        )
        layout.addSpacing(8)
        self.later = QRadioButton("Depois")
        layout.addWidget(self.later)
        layout.addWidget(self._indented(help_label("Nenhum checklist agora; o Painel mostra como começar.")))
        layout.addStretch(1)

        group = QButtonGroup(self)
        for button in (self.closing, self.transition, self.later):
            group.addButton(button)
            button.toggled.connect(self._sync)
        self.election_date.textChanged.connect(lambda _: self.completeChanged.emit())
        self.election_date.editingFinished.connect(self._show_election_error)
        self._sync()

    @staticmethod
    def _indented(widget: QWidget) -> QWidget:
        wrapper = QWidget()
        row = QHBoxLayout(wrapper)
        row.setContentsMargins(28, 0, 0, 0)
        row.addWidget(widget)
        return wrapper

    @staticmethod
    def _indented_row(text: str, widget: QWidget) -> QVBoxLayout:
        column = QVBoxLayout()
        column.setContentsMargins(28, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(field_label(text, widget))
        row = QHBoxLayout()
        row.addWidget(widget)
        row.addStretch(1)
        column.addLayout(row)
        return column

    def _transition_year_changed(self) -> None:
        if not self._election_edited:
            self.election_date.set_date(municipal_election_first_round(self.transition_year.currentData()))

    def _sync(self) -> None:
        self.closing_year.setEnabled(self.closing.isChecked())
        for widget in (self.transition_year, self.election_date):
            widget.setEnabled(self.transition.isChecked())
        self._show_election_error()
        self.completeChanged.emit()

    def _election_error(self) -> str:
        if not self.transition.isChecked():
            return ""
        try:
            day = self.election_date.date_value()
        except ValueError as exc:
            return f"Data do resultado da eleição: {exc}"
        if day is None:
            return "Informe a data do resultado da eleição (dd/mm/aaaa)."
        year = self.transition_year.currentData()
        if day.year != year:
            return f"O resultado da eleição deve ser de {year}."
        return ""

    def _show_election_error(self) -> None:
        self.election_error.show_error(self._election_error())

    def isComplete(self) -> bool:
        return not self._election_error()

    def choice(self) -> str:
        if self.closing.isChecked():
            return self.CLOSING
        return self.TRANSITION if self.transition.isChecked() else self.LATER

    def plan(self) -> tuple[CycleKind, int, dict[KeyEvent, date]] | None:
        """What to start: (kind, reference year, known key dates), or None for "Depois"."""
        choice = self.choice()
        if choice == self.CLOSING:
            return CycleKind.CLOSING, self.closing_year.currentData(), {}
        if choice == self.TRANSITION:
            year = self.transition_year.currentData()
            day = self.election_date.date_value()
            events = {KeyEvent.RESULTADO_ELEICAO: day} if day and is_municipal_election_year(year) else {}
            return CycleKind.TRANSITION, year, events
        return None


class SummaryPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(_title(5, "Resumo"))
        self.setSubTitle("Confira. Ao clicar em Concluir, tudo isto será salvo neste computador.")
        layout = QVBoxLayout(self)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAccessibleName("Resumo do que será salvo")
        layout.addWidget(self.text)
        layout.addSpacing(8)
        self.code_title = QLabel("Código de recuperação da sua conta")
        self.code_title.setObjectName("sectionTitle")
        layout.addWidget(self.code_title)
        layout.addWidget(
            help_label(
                "Anote este código e guarde em lugar seguro, longe do computador. Se você esquecer a senha, "
                "só ele permite escolher outra. Ele não será mostrado de novo."
            )
        )
        self.code = QLineEdit()
        self.code.setReadOnly(True)
        self.code.setAccessibleName("Código de recuperação")
        layout.addWidget(self.code)
        layout.addStretch(1)
        layout.addWidget(help_label("Tudo pode ser mudado depois em Configurações."))

    def initializePage(self) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, FirstRunWizard)
        self.text.setText(wizard.summary_html())
        self.code.setText(wizard.recovery_code)


# ------------------------------------------------------------------ wizard


class FirstRunWizard(QWizard):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today or today_local(SystemClock())
        self.demo_opened = False
        #: Shown on the summary page and saved (hashed) with the administrator account at Concluir.
        self.recovery_code = new_recovery_code()
        #: Cancelar and Esc ask "Sair da configuração?" first (tests turn it off to close the window).
        self.ask_before_closing = True
        self.setWindowTitle(f"{APP_NAME}: configuração inicial")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.BackButton, "&Voltar")
        self.setButtonText(QWizard.WizardButton.NextButton, "&Avançar")
        self.setButtonText(QWizard.WizardButton.FinishButton, "C&oncluir")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Cancelar")
        for which in (QWizard.WizardButton.NextButton, QWizard.WizardButton.FinishButton):
            button = self.button(which)
            button.setProperty("primary", True)
            button.style().unpolish(button)
            button.style().polish(button)
        self.welcome = WelcomePage()
        self.municipality = MunicipalityPage()
        self.responsibles = ResponsiblesPage()
        self.first_checklist = FirstChecklistPage(self.today)
        self.summary = SummaryPage()
        for page in (self.welcome, self.municipality, self.responsibles, self.first_checklist, self.summary):
            self.addPage(page)
        start, end = current_mandate(self.today)
        self.responsibles.mandates.starts["manager"].set_date(start)
        self.responsibles.mandates.ends["manager"].set_date(end)
        # Fits a 1366×768 screen with the taskbar; pages scroll only with large text.
        self.resize(1040, 700)

    @classmethod
    def run(cls, ctx: AppContext) -> bool:
        """Show the wizard; True when it finished (profile or demo saved), False when cancelled."""
        wizard = cls(ctx)
        return wizard.exec() == QWizard.DialogCode.Accepted

    # -- cancel
    @classmethod
    def confirm_cancel(cls, parent: QWidget) -> bool:
        """Ask before leaving; True means leave (tests replace this)."""
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(APP_NAME)
        box.setText("Sair da configuração? Os dados informados não serão salvos.")
        stay = box.addButton("Continuar Configuração", QMessageBox.ButtonRole.RejectRole)
        leave = box.addButton("Sair", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(stay)
        box.setEscapeButton(stay)
        box.exec()
        return box.clickedButton() is leave

    def reject(self) -> None:
        if self.demo_opened or not self.ask_before_closing or self.confirm_cancel(self):
            super().reject()

    # -- demo
    def open_demo(self) -> None:
        """Fill the data folder with the fictional municipality (a few seconds, in the background)."""
        from suas_desktop.services import demo

        workspace = _workspace_of(self.ctx)

        def work(progress, cancel):
            return demo.build_demo(workspace, progress=progress)

        self.ctx.runner.start(
            work,
            on_success=lambda _: self._demo_ready(),
            on_failure=lambda exc: show_error(self, exc),
            parent=self,
            title="Preparando a demonstração…",
        )

    def _demo_ready(self) -> None:
        self.ctx.services.local.set_current_user(*DEMO_USER)
        self.ctx.restore_active_cycle()
        self.ctx.notify("*")
        self.demo_opened = True
        # QWizard.done() validates the current page again; with demo_opened set it lets the wizard close.
        super().accept()

    # -- finish
    def summary_html(self) -> str:
        values = self.municipality.form.values()
        mandates = self.responsibles.mandates.values()

        def yes_no(value: bool | None) -> str:
            return "Sim" if value else "Não"

        def mandate_text(role: str) -> str:
            m = mandates[role]
            if m is None:
                return "Não informado"
            until = f" a {m.end:%d/%m/%Y}" if m.end else " (sem data de fim)"
            return f"{_esc(m.holder_name)}, de {m.start:%d/%m/%Y}{until}"

        try:
            population = format_int(int(str(values["population"]).replace(".", "")))
            porte = self.municipality.form.municipality().size_class.value
        except (ValueError, ValidationError):
            population, porte = str(values["population"]), ""
        plan = self.first_checklist.plan()
        if plan is None:
            checklist = "Nenhum por enquanto"
        else:
            kind, year, events = plan
            checklist = cycle_title(kind, year)
            if KeyEvent.RESULTADO_ELEICAO in events:
                checklist += f" (resultado da eleição em {events[KeyEvent.RESULTADO_ELEICAO]:%d/%m/%Y})"
        rows = [
            ("Município", f"{_esc(values['name'])} – {values['uf']}"),
            ("Código IBGE", _esc(values["ibge_code"])),
            ("População", f"{population} habitantes ({porte})" if porte else population),
            ("Órgão gestor", _esc(values["managing_body"])),
            ("CNPJ da prefeitura", _cnpj(values["prefeitura_cnpj"])),
            ("CNPJ do FMAS", _cnpj(values["fmas_cnpj"])),
            ("FMAS tem unidade orçamentária própria", yes_no(values["fmas_has_budget_unit"])),
            ("Município coloca recursos próprios no FMAS", yes_no(values["fmas_has_own_resources"])),
            ("Gestor(a) da Assistência Social", mandate_text("manager")),
            ("Presidente do CMAS", mandate_text("cmas_president")),
            (
                "Usuário deste computador",
                f"{_esc(self.responsibles.user_name.text().strip())} — "
                f"{_esc(self.responsibles.user_role.currentText().strip())} (administrador(a), com senha)",
            ),
            ("Primeiro checklist", checklist),
        ]
        body = "".join(f"<tr><td><b>{label}</b></td><td>{value}</td></tr>" for label, value in rows)
        html = f"<table cellpadding='4' cellspacing='0'>{body}</table>"
        if False in (values["fmas_has_budget_unit"], values["fmas_has_own_resources"]):
            html += (
                "<p>⚠ Pelas respostas, o FMAS é “apenas um CNPJ”. O Painel vai mostrar esse aviso até que "
                "a situação mude em Configurações.</p>"
            )
        return html

    def accept(self) -> None:
        if self.demo_opened or self.save():
            super().accept()

    def save(self) -> bool:
        """Save the user, the profile and the first cycle; on a problem show it and stay open."""
        services = self.ctx.services
        user_errors = self.responsibles.user_errors()
        if user_errors:
            self.responsibles.show_user_errors(user_errors)
            return self._back_to(self.responsibles)
        try:
            services.local.set_current_user(
                self.responsibles.user_name.text(), self.responsibles.user_role.currentText()
            )
            services.municipalities.save_profile(
                actor=self.ctx.actor, **self.municipality.form.values(), **self.responsibles.mandates.values()
            )
            if not services.users.has_accounts():
                services.users.create_first_admin(
                    name=self.responsibles.user_name.text(),
                    password=self.responsibles.user_password.text(),
                    job_title=self.responsibles.user_role.currentText(),
                    recovery_code=self.recovery_code,
                )
                self.ctx.session_changed.emit()
        except ValidationError as exc:
            self.municipality.form.show_errors(exc.field_errors)
            self.responsibles.mandates.show_errors(exc.field_errors)
            self.responsibles.show_user_errors(exc.field_errors)
            show_error(self, exc)
            return False
        except SuasError as exc:
            show_error(self, exc)
            return False
        plan = self.first_checklist.plan()
        if plan is not None:
            kind, year, events = plan
            existing = [c for c in services.checklists.cycles(kind) if c.reference_year == year]
            try:
                cycle = (
                    existing[0]
                    if existing
                    else services.checklists.start_cycle(
                        actor=self.ctx.actor, kind=kind, reference_year=year, events=events
                    )
                )
            except SuasError as exc:
                # The profile and the user are saved already; the checklist can be started later.
                show_error(self, exc)
            else:
                self.ctx.set_active_cycle(cycle.id)
        self.ctx.notify("*")
        return True

    def _back_to(self, page: QWizardPage) -> bool:
        while self.currentPage() is not page and self.currentId() > 0:
            self.back()
        return False


def _esc(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cnpj(value: str) -> str:
    try:
        return format_cnpj(value)
    except ValueError:
        return _esc(value)


def _workspace_of(ctx: AppContext):
    if ctx.workspace is None:
        raise RuntimeError("the demo needs the context's workspace")
    return ctx.workspace
