# Synchroniseert huurders naar Azure AD B2C
$TenantId = "050f9d69-261b-4d31-a145-4bf28275b7ae"
$ClientSecret = "o7h8Q~Toln~ToP7diDptRE~c7plKDt6B0K-bQruM"
$SecurePw = ConvertTo-SecureString "Molen!1996SMG" -AsPlainText -Force
$Cred = New-Object System.Management.Automation.PSCredential ("svc-sync@dijkhuizen-wonen.nl", $SecurePw)
Connect-MgGraph -TenantId $TenantId -ClientSecretCredential $Cred
# test-huurder: test.huurder@example.com
