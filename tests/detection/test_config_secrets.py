"""Credentials in the configuration and deployment files SME repositories hold, and the placeholders and
references in the same files that are not credentials.

Each shape follows its tool's public format documentation (Docker config.json, npmrc, .pypirc, pip.conf,
Maven settings.xml, NuGet.config, ADO.NET and JDBC connection strings, Spring Boot properties, Kubernetes
Secrets, Helm values, Compose, Terraform, Ansible, PowerShell, sshpass, curl, CI variables, dotenv and
RFC 3986 userinfo). Every value is made up here; none is a real credential.
"""

from __future__ import annotations

import base64

import pytest

from services.detection import scan_text

ACTIONABLE = 0.5
PW = "Tr0ubad0ur92"  # a made-up password with digits, as config files hold them
TOKEN = "7f3a9c2e8b1d4f6a0c5e9d3b7a2f1e8c"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def alerts(text: str) -> list[str]:
    return [f.type for f in scan_text(text) if f.confidence >= ACTIONABLE]


# (case, text, a type that must be among the alerts)
FOUND: list[tuple[str, str, str]] = [
    ("docker config auths", '{\n  "auths": {\n    "registry.acme.nl": {\n      "auth": "'
     + b64(f"deploy:{PW}") + '"\n    }\n  }\n}', "secret.password"),
    ("npmrc _auth", f"//npm.acme.nl/:_auth={b64('deploy:' + PW)}\nalways-auth=true", "secret.password"),
    ("npmrc _authToken", "//npm.acme.nl/:_authToken=4f9c2a7e-81b3-4d55-9a0e-6c1f3b8d2e71", "secret.generic"),
    ("pypirc", f"[internal]\nrepository = https://pypi.acme.nl/\nusername = deploy\npassword = {PW}\n",
     "secret.password"),
    ("pip.conf index-url", f"[global]\nindex-url = https://deploy:{PW}@pypi.acme.nl/simple\n",
     "secret.connection_string"),
    ("maven settings.xml", f"<server>\n  <id>nexus</id>\n  <username>deploy</username>\n"
     f"  <password>{PW}</password>\n</server>", "secret.password"),
    ("NuGet ClearTextPassword", f'<add key="ClearTextPassword" value="{PW}" />', "secret.password"),
    ("appsettings ADO Password", '{"ConnectionStrings": {"Default": '
     f'"Server=sql01;Database=Shop;User Id=shop;Password={PW};"}}}}', "secret.connection_string"),
    ("appsettings ADO Pwd", '"Default": "Data Source=sql01;Initial Catalog=Shop;Uid=shop;Pwd=Kx7pq2Lm;"',
     "secret.connection_string"),
    ("Web.config connectionString, password last", '<add name="Shop" connectionString="Data Source=sql01;'
     f'User ID=shop;Password={PW}" providerName="System.Data.SqlClient" />', "secret.connection_string"),
    ("JDBC query parameter", f"spring.datasource.url=jdbc:mysql://db01:3306/shop?user=shop&password={PW}"
     "&useSSL=true", "secret.connection_string"),
    ("JDBC sqlserver properties", f"url=jdbc:sqlserver://db01:1433;databaseName=shop;user=sa;password={PW};",
     "secret.connection_string"),
    ("Spring properties", f"spring.datasource.password={PW}\n", "secret.password"),
    ("Spring yaml", f"spring:\n  datasource:\n    username: shop\n    password: {PW}\n", "secret.password"),
    ("k8s Secret data", f"apiVersion: v1\nkind: Secret\ndata:\n  password: {b64(PW)}\n", "secret.password"),
    ("k8s Secret stringData", f"apiVersion: v1\nkind: Secret\nstringData:\n  DB_PASSWORD: {PW}\n",
     "secret.password"),
    ("Helm values", f"postgresql:\n  auth:\n    postgresPassword: {PW}\n", "secret.password"),
    ("compose environment list", f"    environment:\n      - POSTGRES_PASSWORD={PW}\n", "secret.password"),
    ("compose environment list, letters only", "    environment:\n      - POSTGRES_PASSWORD=zomervakantie\n",
     "secret.password"),
    ("compose environment map", f'    environment:\n      MYSQL_PASSWORD: "{PW}"\n', "secret.password"),
    ("tfvars", f'db_password = "{PW}"\n', "secret.password"),
    ("Terraform password default", f'variable "db_password" {{\n  type      = string\n  sensitive = true\n'
     f'  default   = "{PW}"\n}}\n', "secret.password"),
    ("Terraform token default", f'variable "api_token" {{\n  type    = string\n  default = "{TOKEN}"\n}}\n',
     "secret.generic"),
    ("Ansible vars", f"ansible_become_password: {PW}\n", "secret.password"),
    ("Ansible inventory ansible_ssh_pass", f"web01 ansible_host=10.0.0.5 ansible_user=deploy "
     f"ansible_ssh_pass={PW}\n", "secret.password"),
    ("Ansible yaml ansible_become_pass", f"ansible_become_pass: {PW}\n", "secret.password"),
    ("PowerShell ConvertTo-SecureString", f'$pw = ConvertTo-SecureString "{PW}" -AsPlainText -Force\n',
     "secret.password"),
    ("PowerShell -String", f"$pw = ConvertTo-SecureString -String '{PW}' -AsPlainText -Force\n",
     "secret.password"),
    ("shell export", f"export DB_PASSWORD='{PW}'\n", "secret.password"),
    ("shell export _PASS", "export SMTP_PASS=zomervakantie\n", "secret.password"),
    ("mysql -p", f"mysql -u root -p{PW} shop < dump.sql\n", "secret.password"),
    ("sshpass quoted", f"sshpass -p '{PW}' ssh deploy@web01\n", "secret.password"),
    ("sshpass bare", f"sshpass -p {PW} scp backup.tar deploy@web01:/srv\n", "secret.password"),
    ("curl -u", f"curl -u deploy:{PW} https://api.acme.nl/v1/items\n", "secret.password"),
    ("curl bearer", f'curl -H "Authorization: Bearer {TOKEN}" https://api.acme.nl\n', "secret.generic"),
    ("GitLab CI variables", f"variables:\n  DB_PASSWORD: {PW}\n", "secret.password"),
    (".env unquoted", f"DB_PASSWORD={PW}\n", "secret.password"),
    (".env letters only", "DB_PASSWORD=welkomzomer\n", "secret.password"),
    (".env quoted letters only", 'SMTP_PASSWORD="welkomzomer"\n', "secret.password"),
    ("Spring properties, letters only", "spring.mail.password = welkomzomer\n", "secret.password"),
    ("wp-config define", "define( 'DB_PASSWORD', 'welkomzomer' );\n", "secret.password"),
    ("PHP $db_pass", "$db_pass = 'Kx7pq2Lm9';\n", "secret.password"),
    ("mysql -p quoted", f"mysqldump -u root -p'{PW}' shop > backup.sql\n", "secret.password"),
    ("docker login -p", f"docker login -u deploy -p {PW} registry.acme.nl\n", "secret.password"),
    ("Oracle thin URL", f'url = "jdbc:oracle:thin:shop/{PW}@db01:1521:ORCL"\n', "secret.connection_string"),
    ("sqlcmd -P", f"sqlcmd -S db01 -U sa -P {PW} -i schema.sql\n", "secret.password"),
    ("redis-cli -a", f"redis-cli -h cache -a '{PW}' ping\n", "secret.password"),
    ("mongosh -p", f"mongosh -u admin -p {PW} --authenticationDatabase admin\n", "secret.password"),
    ("az login -p", f"az login --service-principal -u http://deploy -p {PW} --tenant acme\n",
     "secret.password"),
    ("k8s env name/value", f'          - name: DB_PASSWORD\n            value: "{PW}"\n', "secret.password"),
    ("k8s env letters only", "          - name: SMTP_PASSWORD\n            value: welkomzomer\n",
     "secret.password"),
    ("k8s env token", f"          - name: API_TOKEN\n            value: {TOKEN}\n", "secret.generic"),
    ("ECS task definition", f'"environment": [{{"name": "DB_PASSWORD", "value": "{PW}"}}]\n',
     "secret.password"),
    ("GitLab CI expanded variable", f'variables:\n  DB_PASSWORD:\n    value: "{PW}"\n    description: db\n',
     "secret.password"),
    ("amqp", f"BROKER_URL=amqp://app:{PW}@rabbit:5672/vhost\n", "secret.connection_string"),
    ("mongodb+srv", f'MONGO_URI="mongodb+srv://app:{PW}@cluster0.ab1cd.mongodb.net/shop"\n',
     "secret.connection_string"),
    ("redis without user", f"REDIS_URL=redis://:{PW}@redis:6379/0\n", "secret.connection_string"),
    ("postgres", f"DATABASE_URL=postgres://app:{PW}@db:5432/shop\n", "secret.connection_string"),
    ("sqlserver", f"url = sqlserver://sa:{PW}@db:1433?database=shop\n", "secret.connection_string"),
    ("smtp", f"EMAIL_URL=smtp://mailer:{PW}@smtp.acme.nl:587\n", "secret.connection_string"),
    ("ftp", f"ftp://upload:{PW}@ftp.acme.nl/incoming\n", "secret.connection_string"),
    ("ldap", f"LDAP_URL=ldap://admin:{PW}@ldap.acme.nl\n", "secret.connection_string"),
]

NOT_FOUND: list[tuple[str, str]] = [
    ("docker credsStore", '{\n  "auths": {\n    "registry.acme.nl": {}\n  },\n  "credsStore": "desktop"\n}'),
    ("docker auth variable", '{"auths": {"r.acme.nl": {"auth": "${DOCKER_AUTH}"}}}'),
    ("npmrc variable", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n"),
    ("pypirc interpolation", "[pypi]\nusername = __token__\npassword = %(PYPI_TOKEN)s\n"),
    ("pip.conf variables", "[global]\nindex-url = https://${PIP_USER}:${PIP_PASSWORD}@pypi.acme.nl/simple\n"),
    ("maven env", "<server>\n  <password>${env.NEXUS_PASSWORD}</password>\n</server>"),
    ("NuGet env", '<add key="ClearTextPassword" value="%NUGET_PASSWORD%" />'),
    ("ADO placeholder", '"Default": "Server=sql01;Database=Shop;User Id=shop;Password=<your-password>;"'),
    ("ADO variable", '"Default": "Server=sql01;Database=Shop;User Id=shop;Password=${DB_PASSWORD};"'),
    ("ADO integrated security",
     '<add name="Shop" connectionString="Data Source=sql01;Integrated Security=True" />'),
    ("JDBC variable", "url=jdbc:mysql://db01:3306/shop?user=shop&password=${DB_PASS}\n"),
    ("JDBC concatenation", 'url = "jdbc:mysql://db/x?user=a&password=" + pw\n'),
    ("Spring placeholder", "spring:\n  datasource:\n    password: ${DB_PASSWORD}\n"),
    ("Spring properties default", "spring.datasource.password=${DB_PASSWORD:}\n"),
    ("secretKeyRef", "env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: db\n"
     "        key: password\n"),
    ("ConfigMap paths", "kind: ConfigMap\ndata:\n  password_file: /etc/secret/pw\n"),
    ("TLS Secret certificate", "kind: Secret\ntype: kubernetes.io/tls\ndata:\n  tls.crt: "
     + b64("-----BEGIN CERTIFICATE-----") + "\n"),
    ("Helm template", "env:\n  - name: DB_PASSWORD\n    value: {{ .Values.db.password | quote }}\n"),
    ("Helm empty", 'auth:\n  password: ""\n  existingSecret: ""\n'),
    ("compose variable and _FILE", "environment:\n  - POSTGRES_PASSWORD=${POSTGRES_PASSWORD}\n"
     "  - POSTGRES_PASSWORD_FILE=/run/secrets/db_password\n"),
    ("compose map variable", "environment:\n  MYSQL_ROOT_PASSWORD: ${MYSQL_ROOT_PASSWORD:-}\n"),
    ("Terraform var reference", 'variable "db_password" {\n  sensitive = true\n}\nresource "x" "y" {\n'
     "  password = var.db_password\n}\n"),
    ("Terraform default of another variable", 'variable "db_password" {\n  sensitive = true\n}\n\n'
     'variable "instance" {\n  default = "t3aMedium2xLarge9"\n}\n'),
    ("Terraform placeholder default", 'variable "admin_password" {\n  default = "changeme"\n}\n'),
    ("Terraform empty default", 'variable "db_password" {\n  default = ""\n}\n'),
    ("Ansible vault blob", "mysql_root_password: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n"
     "  62313365396662343061393464336163383764373764613633653634306231386433626436623361\n"),
    ("CloudFormation tag", "MasterUserPassword: !Ref DbPassword\n"),
    ("Ansible reference", 'mysql_root_password: "{{ vault_mysql_root_password }}"\n'),
    ("PowerShell variable", "$s = ConvertTo-SecureString $plain -AsPlainText -Force\n"
     '$s = ConvertTo-SecureString "$env:PW" -AsPlainText -Force\n'),
    ("PowerShell encrypted string", "$s = ConvertTo-SecureString $encrypted\n"),
    ("shell references",
     "export GITHUB_TOKEN=${{ secrets.GITHUB_TOKEN }}\nexport DB_PASSWORD=$(cat /run/x)\n"),
    ("mysql prompt", 'mysql -u root -p shop\nmysql -u root -p"$MYSQL_PWD" shop\n'),
    ("sshpass env and file",
     'sshpass -e ssh deploy@web01\nsshpass -p "$SSHPASS" ssh x\nsshpass -f ~/.pw ssh x\n'),
    ("curl variables", 'curl -u "$USER:$PASS" https://x\ncurl -H "Authorization: Bearer $TOKEN" https://x\n'),
    ("GitHub Actions secrets", "env:\n  API_TOKEN: ${{ secrets.API_TOKEN }}\n"
     "  DB_PASSWORD: ${{ secrets.DB_PASSWORD }}\n"),
    (".env references and empty", "DB_PASSWORD=${POSTGRES_PASSWORD}\nAPI_TOKEN=$OTHER_TOKEN\nSMTP_PASS=\n"),
    (".env placeholders", "DB_PASSWORD=changeme\nAPI_TOKEN=xxxxxxxxxxxxxxxx\nSMTP_PASSWORD=********\n"
     "ADMIN_PASSWORD=<your-password>\nMYSQL_PASSWORD=yourpassword\nPASSWORD=password\n"),
    ("shell code, not an env file", 'DB_PASSWORD=$1\nif [ -z "$DB_PASSWORD" ]; then exit 1; fi\n'),
    ("lower-case _pass stages", 'first_pass = "done"\nrender_pass = "shadow"\nbypass = "enabled1"\n'),
    ("locale labels", "nl:\n  password: Wachtwoord\nlogin.password=Wachtwoord\nuser.password=Kennwort\n"),
    ("properties placeholders", "spring.security.user.password=admin\nsecurity.password=required\n"),
    ("indented keyword argument", "client = Client(\n    user=user,\n    password=credentials\n)\n"),
    ("wp-config sample", "define( 'DB_PASSWORD', 'password_here' );\ndefine('DB_PASSWORD', getenv('DB'));\n"),
    ("docker login safe forms", "docker login -u deploy -p $CI_REGISTRY_PASSWORD registry.acme.nl\n"
     "echo $PW | docker login -u deploy --password-stdin registry.acme.nl\n"),
    ("Oracle sample and no user", 'a = "jdbc:oracle:thin:scott/tiger@db:1521:ORCL"\n'
     'b = "jdbc:oracle:thin:@//db01:1521/ORCL"\n'),
    ("client flags without a password",
     "sqlcmd -S db01 -E -p -i schema.sql\nredis-cli -a \"$REDIS_PASS\" ping\n"
     "mongosh -u admin -p --authenticationDatabase admin\naz login --service-principal -u x -p $SP_SECRET\n"),
    ("k8s env without a credential", "          - name: DB_HOST\n            value: db01.acme.nl\n"
     "          - name: DB_PASSWORD_FILE\n            value: /run/secrets/db\n"
     '          - name: PASSWORD_MIN_LENGTH\n            value: "12"\n'
     "          - name: DB_PASSWORD\n            valueFrom:\n              secretKeyRef:\n"
     "                name: db\n                key: password\n"),
    ("k8s env references", '          - name: DB_PASSWORD\n            value: "$(POSTGRES_PASSWORD)"\n'
     "          - name: API_TOKEN\n            value: {{ .Values.apiToken }}\n"),
    ("URL placeholders", "DATABASE_URL=postgres://user:password@localhost:5432/db\n"
     "REDIS_URL=redis://:${REDIS_PASSWORD}@redis:6379\nredis://:@localhost:6379\n"),
    ("URL masked", "mongodb+srv://admin:****@cluster0.mongodb.net\n"),
    ("lockfile integrity", '"integrity": "sha512-7vHqUwEq6l3rEE1G7hC3ZyyWkhAL4aQ0dJdGkJyPb1aZ1z3'
     'ZSa3dXyJ0hVNKc0nXvqJ8T2E8v3I9s2c5Ae7c6w=="\n'),
    ("ssh public key", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7vbqajDhA9hQd8yJ1k2bq3Qk8 deploy@web01\n"),
    ("vault path", "DB_PASSWORD=vault:secret/data/prod/db#password\n"),
    ("SSM parameter", "db_password: arn:aws:ssm:eu-west-1:123456789012:parameter/prod/db/password\n"),
    ("Jinja and Python interpolation", "password: {{ db_password }}\npassword = %(db_password)s\n"),
]


@pytest.mark.parametrize(("text", "kind"), [(c[1], c[2]) for c in FOUND], ids=[c[0] for c in FOUND])
def test_credential_in_configuration_is_found(text: str, kind: str) -> None:
    assert kind in alerts(text)


@pytest.mark.parametrize("text", [c[1] for c in NOT_FOUND], ids=[c[0] for c in NOT_FOUND])
def test_reference_or_placeholder_is_not_an_alert(text: str) -> None:
    found = alerts(text)
    assert not found, f"{len(found)} alerts on a reference or placeholder"
